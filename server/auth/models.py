from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from server.enums import Role


class Team(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "team"


class User(Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=64, unique=True)
    display_name = fields.CharField(max_length=100)
    password_hash = fields.CharField(max_length=255)
    role = fields.CharEnumField(Role, max_length=16)
    team = fields.ForeignKeyField("models.Team", related_name="members", null=True, on_delete=fields.SET_NULL)
    is_active = fields.BooleanField(default=True)
    locale = fields.CharField(max_length=10, default="zh_CN")
    timezone = fields.CharField(max_length=40, default="Asia/Shanghai")
    # How many open leads the least-loaded assignment may give this consultant.
    lead_capacity = fields.IntField(default=50)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)

    class Meta:
        table = "app_user"
        indexes = [Index(fields=("team_id", "role"))]

    def __str__(self) -> str:
        return self.username


class ApiToken(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    # sha256 of the secret: tokens are long random strings, so a fast hash is enough.
    token_hash = fields.CharField(max_length=64, unique=True)
    prefix = fields.CharField(max_length=12)
    scopes = fields.JSONField(default=list)
    # A token may be limited to one team's customers; null means every customer.
    team = fields.ForeignKeyField("models.Team", related_name="api_tokens", null=True, on_delete=fields.SET_NULL)
    created_by = fields.ForeignKeyField("models.User", related_name="api_tokens", null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"


class LoginFailure(Model):
    """One failed sign-in, counted per username and per address to throttle guessing."""

    id = fields.BigIntField(primary_key=True)
    username = fields.CharField(max_length=64)
    ip = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "login_failure"
        indexes = [Index(fields=("username", "created_at")), Index(fields=("ip", "created_at"))]
