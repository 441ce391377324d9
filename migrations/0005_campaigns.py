from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_showroom_visits')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Campaign',
            name='version',
            field=fields.IntField(default=1, db_default=1),
        ),
        ops.AddIndex(
            model_name='Customer',
            index=Index(fields=['campaign_id']),
        ),
        ops.AddIndex(
            model_name='Opportunity',
            index=Index(fields=['campaign_id', 'status']),
        ),
    ]
