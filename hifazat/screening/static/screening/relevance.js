// Skip logic in the screening form: shows and hides questions (and marks sections skipped) as they are answered,
// without asking the server. The rules come from the catalogue, in the form's data-relevance attribute (JSON).
// The server evaluates the same rules (hifazat/screening/indicators.py: evaluate, Catalogue.relevance) and has
// the last word: it neither requires, stores nor scores an answer to a question that is not asked.
(function () {
  "use strict";

  function evaluate(condition, facts, given) {
    if (!condition) return true;
    if (condition.all) return condition.all.every(function (c) { return evaluate(c, facts, given); });
    if (condition.any) return condition.any.some(function (c) { return evaluate(c, facts, given); });
    if (condition.not) return !evaluate(condition.not, facts, given);
    if (condition.answer) return condition["in"].indexOf(given[condition.answer]) !== -1;
    if (condition.age_band) return condition.age_band.indexOf(facts.age_band) !== -1;
    return condition.sex.indexOf(facts.sex) !== -1;
  }

  function valueOf(form, questionId) {
    var element = form.elements["q_" + questionId];
    if (!element) return "";
    if (typeof RadioNodeList !== "undefined" && element instanceof RadioNodeList) return element.value;
    if (element.type === "radio") return element.checked ? element.value : "";
    return element.value;
  }

  function apply(form) {
    if (!form || !form.dataset.relevance) return;
    var rules = JSON.parse(form.dataset.relevance);
    var given = {};
    rules.sections.forEach(function (section) {
      var sectionOn = evaluate(section.relevant, rules.facts, given);
      var anyAsked = false;
      section.questions.forEach(function (question) {
        var on = sectionOn && evaluate(question.relevant, rules.facts, given);
        var value = valueOf(form, question.id);
        if (on && value) given[question.id] = value;
        anyAsked = anyAsked || on;
        form.querySelectorAll('[data-question="' + question.id + '"]').forEach(function (node) {
          node.disabled = !on; // not sent: the server would drop the answer anyway
          if (node.tagName === "FIELDSET") node.hidden = !on;
        });
      });
      var item = form.querySelector('[data-section="' + section.id + '"]');
      if (item) {
        item.querySelector(".hz-section-title").classList.toggle("text-decoration-line-through", !anyAsked);
        item.querySelector(".hz-skip-note").hidden = anyAsked;
      }
    });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.id === "screening-form") apply(form);
  });
  document.addEventListener("htmx:afterSettle", function () {
    apply(document.getElementById("screening-form"));
  });
  apply(document.getElementById("screening-form"));
})();
