"""What the product promises to page when a whole cluster's targets vanish, derived from the
spec so the end-to-end and HA tests agree with the rendered inhibition rules."""
from __future__ import annotations

from generators.kinds import kind_of
from generators.model import Spec


def lost_job_pages(spec: Spec) -> dict[str, tuple[str, ...]]:
    """job -> the alert names (full) any one of which pages for that job when its targets
    vanish from a cluster. The job's own `absent` availability alert pages and inhibits the
    absence watch for the same (cluster, job); the watch pages for the other jobs. An alert
    that inhibits the job's own alert per cluster (PlatformDown inhibits HealthCheckFailing)
    is an accepted page too: when both go absent in the same evaluation, whichever reaches
    Alertmanager first is the one page (inhibition has no memory of a notified alert)."""
    prefix = spec.settings.alert_prefix
    watch = next(a.short_name for a in spec.alerts if kind_of(a).absence_watch)
    owner: dict[str, str] = {}
    for alert in spec.alerts:
        if kind_of(alert).inhibits_absence_watch(spec, alert):
            source = spec.metrics[alert.indicator.metric].source  # type: ignore[attr-defined]
            owner[dict(spec.settings.selectors[source])["job"]] = alert.short_name
    pages: dict[str, tuple[str, ...]] = {}
    for pairs in spec.settings.selectors.values():
        job = dict(pairs)["job"]
        own = owner.get(job, watch)
        inhibitors = sorted(a.short_name for a in spec.alerts
                            if f"{prefix}{own}" in a.inhibits)
        pages[job] = tuple(f"{prefix}{name}" for name in (own, *inhibitors))
    return pages


def page_labels(names: tuple[str, ...], name: str, cluster: str, job: str) -> dict[str, str]:
    """The labels a firing `name` must carry to be the page for `job` of a lost `cluster`:
    the job's own alert (names[0]) for that job; an alert inhibiting it stands for the whole
    cluster."""
    return {"cluster": cluster, **({"job": job} if name == names[0] else {})}
