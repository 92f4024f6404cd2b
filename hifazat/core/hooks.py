"""Plug-in hooks: how a later part adds to an earlier part's pages without the earlier part importing it.

The part that owns an extension point declares a hook once, in the module that reads it, with a docstring that
says what a contribution is (usually a callable and its signature)::

    WORKLIST = hooks.define("notifications.worklist", '''``source(actor) -> list[WorkSection]``: ...''')

and reads the contributions with ``WORKLIST.get()`` (or by iterating over the hook), in registration order.

Every part puts its contributions in one module, ``<part>/hooks.py``, registering them at import time::

    @WORKLIST.register
    def worklist(actor): ...

``core``'s ``AppConfig.ready`` imports ``hooks.py`` of every installed hifazat part (as Django's admin
autodiscovers ``admin.py``), in ``INSTALLED_APPS`` order, so no ``AppConfig.ready`` wires lists by hand and the
registration order is the order of the parts. Registering is idempotent: the same contribution (or, for a hook
declared with ``key=``, one with the same key, which then replaces the earlier one in its place) is kept once.

Tests register for the length of a block with ``temporarily``, which puts the hook back as it was afterwards::

    with hooks.temporarily("cases.closure_checks", check, only=True): ...
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

from django.apps import apps
from django.utils.module_loading import module_has_submodule

T = TypeVar("T")

_HOOKS: dict[str, Hook] = {}


class UnknownHook(LookupError):
    """A hook name nobody declared (a typo, or the owning part's module is not imported)."""


class Hook:
    """A named extension point and its contributions, in registration order."""

    def __init__(self, name: str, doc: str, *, key: Callable[[Any], Hashable] | None = None) -> None:
        self.name = name
        self.__doc__ = doc
        self._key = key if key is not None else (lambda contribution: contribution)
        self._contributions: list[Any] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._contributions)} contribution(s)>"

    def register(self, contribution: T) -> T:
        """Add ``contribution`` (or replace the one with the same key) and return it, so that it decorates."""
        key = self._key(contribution)
        for index, existing in enumerate(self._contributions):
            if self._key(existing) == key:
                self._contributions[index] = contribution
                return contribution
        self._contributions.append(contribution)
        return contribution

    def get(self) -> list[Any]:
        """The contributions, in registration order (a copy: changing it changes nothing)."""
        return list(self._contributions)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.get())

    def __len__(self) -> int:
        return len(self._contributions)

    @contextlib.contextmanager
    def temporarily(self, *contributions: Any, only: bool = False) -> Iterator[Hook]:
        """Register ``contributions`` for the length of the block (with ``only=True``: in place of all the
        others), then put the hook back exactly as it was, whatever the block raised."""
        saved = list(self._contributions)
        if only:
            self._contributions = []
        try:
            for contribution in contributions:
                self.register(contribution)
            yield self
        finally:
            self._contributions = saved


def define(name: str, doc: str, *, key: Callable[[Any], Hashable] | None = None) -> Hook:
    """Declare the hook ``name`` (once, in the part that owns the extension point). ``doc`` says what a
    contribution is; ``key`` names what makes two contributions the same (default: the contribution itself).
    Declaring the same name again returns the existing hook (a module imported twice under one name)."""
    if name in _HOOKS:
        return _HOOKS[name]
    hook = _HOOKS[name] = Hook(name, doc, key=key)
    return hook


def hook(name: str) -> Hook:
    """The hook declared as ``name``; a clear error for a name nobody declared."""
    try:
        return _HOOKS[name]
    except KeyError:
        declared = ", ".join(sorted(_HOOKS)) or "none"
        raise UnknownHook(
            f"no hook named {name!r} (declared: {declared}); the part that owns it declares it with hooks.define"
        ) from None


def register(name: str, contribution: T | None = None) -> Any:
    """``register("x", fn)`` adds ``fn`` to hook ``x``; ``@register("x")`` does the same as a decorator."""
    target = hook(name)
    if contribution is None:
        return target.register
    return target.register(contribution)


def get(name: str) -> list[Any]:
    return hook(name).get()


def temporarily(
    name: str, *contributions: Any, only: bool = False
) -> contextlib.AbstractContextManager[Hook]:
    return hook(name).temporarily(*contributions, only=only)


def autodiscover() -> None:
    """Import ``hooks.py`` of every installed hifazat part, in ``INSTALLED_APPS`` order (from core's ready)."""
    for config in apps.get_app_configs():
        if config.name.startswith("hifazat.") and module_has_submodule(config.module, "hooks"):
            importlib.import_module(f"{config.name}.hooks")
