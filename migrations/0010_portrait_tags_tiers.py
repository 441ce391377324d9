from tortoise import migrations
from tortoise.migrations import operations as ops
from server.enums import TagSource
from tortoise import fields

class AlterFieldComment(ops.AlterField):
    """Only the enum's description (the column comment) changed, for the new GENERATED tag source.

    PostgreSQL updates its comment. SQLite keeps no comments, and Tortoise would rebuild the
    table there, dropping the unique (customer, tag) constraint the tag refresh relies on: skip it.
    """

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor and state_editor.client.capabilities.dialect == "sqlite":
            return
        await super().database_forward(app_label, old_state, new_state, state_editor)

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor and state_editor.client.capabilities.dialect == "sqlite":
            return
        await super().database_backward(app_label, old_state, new_state, state_editor)


class Migration(migrations.Migration):
    dependencies = [('models', '0006_rules_ops')]

    initial = False

    operations = [
        AlterFieldComment(
            model_name='CustomerTag',
            name='source',
            field=fields.CharEnumField(default=TagSource.MANUAL, description='MANUAL: MANUAL\nRULE: RULE\nEXTRACTOR: EXTRACTOR\nIMPORT: IMPORT\nGENERATED: GENERATED', enum_type=TagSource, max_length=12),
        ),
    ]
