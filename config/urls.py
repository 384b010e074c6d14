from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from followup.password_reset import PlatformPasswordResetForm
from ipm import twofactor, views
from ipm.login import AdminLoginForm, LoginForm

admin.site.site_header = "Ipm — administration"
admin.site.site_title = "Ipm"
admin.site.index_title = "Administration de la plateforme"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("comptes/double-authentification/", twofactor.otp_verify, name="otp_verify"),
    path("comptes/double-authentification/activer/", twofactor.otp_setup, name="otp_setup"),
    path("comptes/securite/", twofactor.account_security, name="account_security"),
    path("comptes/securite/codes-de-secours/", twofactor.otp_backup_codes, name="otp_backup_codes"),
    path("comptes/securite/codes-de-secours/nouveaux/", twofactor.otp_backup_codes_regenerate,
         name="otp_backup_codes_regenerate"),
    path("comptes/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    # « Mot de passe oublié » sends its email through the outbox, like every other email (followup.password_reset).
    path("comptes/password_reset/", auth_views.PasswordResetView.as_view(form_class=PlatformPasswordResetForm),
         name="password_reset"),
    path("comptes/", include("django.contrib.auth.urls")),
    path("fiches/", include("referrals.urls")),
    path("dossiers/", include("dossiers.urls")),
    path("departs/", include("departures.urls")),
    path("suivi/", include("followup.urls")),
    path("rapports/", include("reporting.urls")),
    path("espace/", include("space.urls")),
    path("reseau/", include("network.urls")),
    path("", include("surveys.urls")),
    path("", include("privacy.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "ipm.views.permission_denied"
handler404 = "ipm.views.page_not_found"
handler500 = "ipm.views.server_error"
