from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_campaigns')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RuleRun',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rule', fields.OneToOneField('models.Rule', source_field='rule_id', db_constraint=True, to_field='id', related_name='last_run', on_delete=OnDelete.CASCADE)),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('fired', fields.IntField(default=0)),
            ],
            options={'table': 'rule_run', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The last scheduled run of a rule and the due time it covered (missed passes run once on return).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='AuditLog',
            name='actor',
            field=fields.CharField(default='', db_default='', max_length=160),
        ),
        ops.AddField(
            model_name='OutboxEvent',
            name='dead_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
