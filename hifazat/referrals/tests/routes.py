"""The referrals part's rows of the route matrix (``hifazat/core/tests/test_route_matrix.py``).

``MATRIX`` maps each route name to the status each caller gets to a GET, in the order of the core table's columns:
anonymous, administrator, supervisor, caseworker, monitoring focal point, network reporter, campaign coordinator,
livelihood officer, analyst, donor viewer (all of organisation A). ``fixtures(cls)`` builds the records the routes
need (``cls`` is the core test class, with ``org_a``, ``a[role]``, ``site``, ``household``, ``person``) and returns
the UUID to put in each route that takes one.
"""

from __future__ import annotations

# fmt: off
#                                       anon  adm  sup   cw  mfp  rep camp  liv  ana donor
MATRIX: dict[str, list[int]] = {
    # The directory: services.view (staff roles), services.manage (administrator, supervisor). The provider and
    # pathway are A's, so both A's administrator and supervisor may edit them.
    "referrals:provider_list":              [302, 200, 200, 200, 200, 403, 200, 200, 200, 403],
    "referrals:provider_detail":            [302, 200, 200, 200, 200, 403, 200, 200, 200, 403],
    "referrals:provider_create":            [302, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "referrals:provider_edit":              [302, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "referrals:pathway_list":               [302, 200, 200, 200, 200, 403, 200, 200, 200, 403],
    "referrals:pathway_detail":             [302, 200, 200, 200, 200, 403, 200, 200, 200, 403],
    "referrals:pathway_create":             [302, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "referrals:pathway_edit":               [302, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    # Referrals: referrals.view/send/respond (supervisor, caseworker). The case is A's caseworker's; the referral
    # is B's, sent to A's provider, so A's supervisor and caseworker read it as its receiver.
    "referrals:referral_list":              [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "referrals:referral_incoming":          [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "referrals:referral_create":            [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "referrals:referral_detail":            [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "referrals:referral_accept":            [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "referrals:referral_decline":           [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "referrals:referral_complete":          [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    # POST-only, the sender's (referrals.send): the referral here is B's, so A's staff would get 404 to a POST.
    "referrals:referral_withdraw":          [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "referrals:referral_open_case":         [302, 403, 200, 200, 404, 403, 403, 403, 403, 403],
    "api:provider_list":                    [401, 200, 200, 200, 200, 403, 200, 200, 200, 403],
    "api:provider_detail":                  [401, 200, 200, 200, 200, 403, 200, 200, 200, 403],
    "api:pathway_list":                     [401, 200, 200, 200, 200, 403, 200, 200, 200, 403],
    "api:pathway_detail":                   [401, 200, 200, 200, 200, 403, 200, 200, 200, 403],
    "api:referral_list":                    [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:referral_detail":                  [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    # POST-only: GET answers 405 to every member.
    "api:referral_respond":                 [401, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    "api:referral_withdraw":                [401, 405, 405, 405, 405, 405, 405, 405, 405, 405],
}
# fmt: on


def fixtures(cls) -> dict:
    from hifazat.referrals.testing import ReferralWorld

    world = ReferralWorld.build(cls.org_a, cls.org_b, cls.a, cls.b, site=cls.site, person_a=cls.person)
    provider, pathway, case, incoming = world.provider_a, world.pathway, world.case_a, world.referral_b_to_a
    return {
        "referrals:provider_detail": provider.uuid,
        "referrals:provider_edit": provider.uuid,
        "referrals:pathway_detail": pathway.uuid,
        "referrals:pathway_edit": pathway.uuid,
        "referrals:referral_create": case.uuid,
        "referrals:referral_detail": incoming.uuid,
        "referrals:referral_accept": incoming.uuid,
        "referrals:referral_decline": incoming.uuid,
        "referrals:referral_complete": incoming.uuid,
        "referrals:referral_withdraw": incoming.uuid,
        "referrals:referral_open_case": incoming.uuid,
        "api:provider_detail": provider.uuid,
        "api:pathway_detail": pathway.uuid,
        "api:referral_detail": incoming.uuid,
        "api:referral_respond": incoming.uuid,
        "api:referral_withdraw": incoming.uuid,
    }
