from django.apps import AppConfig


class SimulatorsConfig(AppConfig):
    name = "tremplin.simulators"
    label = "simulators"

    def ready(self):
        # The catalog cannot import this app (data flows one way): it offers a hook instead,
        # so that `load_content` rejects a module naming an unknown simulator.
        from tremplin.catalog import content_files

        from .files import curriculum_check

        if curriculum_check not in content_files.EXTRA_CHECKS:
            content_files.EXTRA_CHECKS.append(curriculum_check)
