from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tremplin.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import StaffIdleTimeoutMiddleware

        user_logged_in.connect(StaffIdleTimeoutMiddleware.stamp_at_sign_in, dispatch_uid="staff_idle_stamp")
