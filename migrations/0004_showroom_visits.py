from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_sales_pipeline')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ShowroomVisit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', null=True, db_constraint=True, to_field='id', related_name='showroom_visits', on_delete=OnDelete.CASCADE)),
                ('visitor_name', fields.CharField(default='', max_length=100)),
                ('arrived_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('left_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('party_size', fields.IntField(default=1)),
                ('is_first_visit', fields.BooleanField(default=True)),
                ('consultant', fields.ForeignKeyField('models.User', source_field='consultant_id', null=True, db_constraint=True, to_field='id', related_name='showroom_visits', on_delete=OnDelete.SET_NULL)),
                ('vehicle_model', fields.ForeignKeyField('models.VehicleModel', source_field='vehicle_model_id', null=True, db_constraint=True, to_field='id', related_name='showroom_visits', on_delete=OnDelete.SET_NULL)),
                ('interaction', fields.ForeignKeyField('models.Interaction', source_field='interaction_id', null=True, db_constraint=True, to_field='id', related_name='showroom_visits', on_delete=OnDelete.SET_NULL)),
                ('recorded_by', fields.ForeignKeyField('models.User', source_field='recorded_by_id', null=True, db_constraint=True, to_field='id', related_name='showroom_visits_recorded', on_delete=OnDelete.SET_NULL)),
                ('note', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'showroom_visit', 'app': 'models', 'indexes': [Index(fields=['arrived_at']), Index(fields=['customer_id', 'arrived_at']), Index(fields=['consultant_id', 'arrived_at'])], 'pk_attr': 'id', 'table_description': 'One walk-in at the showroom (展厅客流), as reception logged it.'},
            bases=['Model'],
        ),
    ]
