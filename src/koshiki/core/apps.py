from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "koshiki.core"
    label = "koshiki_core"

    def ready(self) -> None:
        from . import jobs, pruning  # noqa: F401  (pruning registers its sweep)
        from .tasks import fanout_part_task, sweeper_task

        jobs.register_recurring(jobs.SWEEPER, sweeper_task, jobs.sweep_every())
        jobs.register_job(jobs.FANOUT_PART, fanout_part_task)
