"""System checks for settings that are each valid but contradict each other (``hifazat check``)."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from hifazat.core.roles import Role


@register()
def settings_agree(app_configs, **kwargs):
    problems = []
    unknown = set(settings.TWO_FACTOR_ROLES) - set(Role.values)
    if unknown:
        problems.append(
            Error(
                f"HIFAZAT_TWO_FACTOR_EXTRA_ROLES names roles that do not exist: {sorted(unknown)}.",
                hint=f"Use any of: {', '.join(Role.values)}.",
                id="hifazat.E001",
            )
        )
    if settings.SESSION_IDLE_SECONDS > settings.SESSION_ABSOLUTE_SECONDS:
        problems.append(
            Error(
                "HIFAZAT_SESSION_IDLE_MINUTES is longer than HIFAZAT_SESSION_MAX_HOURS.",
                hint="The idle limit must fit inside the absolute session limit.",
                id="hifazat.E002",
            )
        )
    if settings.TASKS_BACKEND == "redis" and not settings.REDIS_URL:
        problems.append(Error("HIFAZAT_TASKS_BACKEND=redis needs REDIS_URL.", id="hifazat.E003"))
    if settings.PRODUCTION and settings.TASKS_BACKEND == "immediate":
        problems.append(
            Warning(
                "HIFAZAT_TASKS_BACKEND=immediate runs long work inside web requests.",
                hint="Use database (the default) or redis in production.",
                id="hifazat.W001",
            )
        )
    if settings.PRODUCTION and not settings.HTTPS:
        problems.append(
            Warning(
                "HIFAZAT_HTTPS is off in production: session cookies travel unencrypted.",
                hint="Serve Hifazat over HTTPS and leave HIFAZAT_HTTPS on.",
                id="hifazat.W002",
            )
        )
    return problems
