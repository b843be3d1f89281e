from django.urls import path

from victimid.views import account, audit, auth, mfa, vetting

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("register/", auth.register_view, name="register"),
    path("set-password/<uidb64>/<token>/", auth.SetPasswordView.as_view(), name="set-password"),
    path("mfa/enrol/", mfa.enrol_view, name="mfa-enrol"),
    path("mfa/verify/", mfa.verify_view, name="mfa-verify"),
    path("account/", account.account_view, name="account"),
    path("account/password/", account.password_change_view, name="password-change"),
    path(
        "account/notification-emails/",
        account.notification_emails_view,
        name="notification-emails",
    ),
    path("account/tokens/", account.token_create_view, name="token-create"),
    path("account/tokens/<int:token_id>/revoke/", account.token_revoke_view, name="token-revoke"),
    path("account/sessions/<int:session_id>/end/", account.session_end_view, name="session-end"),
    path(
        "account/sessions/end-others/",
        account.sessions_end_others_view,
        name="sessions-end-others",
    ),
    path("account/recovery-codes/", account.recovery_regenerate_view, name="recovery-regenerate"),
    path("audit/", audit.audit_list_view, name="audit-list"),
    path("audit/export.csv", audit.audit_export_view, name="audit-export"),
    path("audit/actors/<int:user_id>/", audit.audit_actor_view, name="audit-actor"),
    path("vetting/", vetting.queue_view, name="vetting-queue"),
    path("vetting/invite/", vetting.invite_view, name="vetting-invite"),
    path("vetting/users/<int:user_id>/", vetting.user_detail_view, name="vetting-user"),
    path("vetting/users/<int:user_id>/decide/", vetting.decide_view, name="vetting-decide"),
    path("vetting/users/<int:user_id>/roles/", vetting.roles_view, name="vetting-roles"),
    path("vetting/users/<int:user_id>/release/", vetting.release_view, name="vetting-release"),
    path(
        "vetting/users/<int:user_id>/end-sessions/",
        vetting.end_sessions_view,
        name="vetting-end-sessions",
    ),
]
