from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ImportJob',
            name='content',
            field=fields.BinaryField(null=True),
        ),
        ops.AddField(
            model_name='ImportJob',
            name='error',
            field=fields.TextField(default='', unique=False),
        ),
        ops.AddField(
            model_name='ImportJob',
            name='started_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
