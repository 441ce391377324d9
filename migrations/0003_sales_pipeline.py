from tortoise import migrations
from tortoise.migrations import operations as ops
from server.enums import AssignmentStrategy, Channel, OwnershipChangeKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_import_job_content')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AssignmentRule',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=100)),
                ('team', fields.ForeignKeyField('models.Team', source_field='team_id', db_constraint=True, to_field='id', related_name='assignment_rules', on_delete=OnDelete.CASCADE)),
                ('strategy', fields.CharEnumField(default=AssignmentStrategy.ROUND_ROBIN, description='ROUND_ROBIN: ROUND_ROBIN\nLEAST_LOADED: LEAST_LOADED', enum_type=AssignmentStrategy, max_length=16)),
                ('channel', fields.CharEnumField(null=True, description='WEBSITE: WEBSITE\nSHOWROOM: SHOWROOM\nPHONE: PHONE\nWECHAT: WECHAT\nWEIBO: WEIBO\nDOUYIN: DOUYIN\nEMAIL: EMAIL\nAUTO_SHOW: AUTO_SHOW\nREFERRAL: REFERRAL\nTHIRD_PARTY: THIRD_PARTY\nIMPORT: IMPORT\nOTHER: OTHER', enum_type=Channel, max_length=16)),
                ('province', fields.CharField(default='', max_length=30)),
                ('city', fields.CharField(default='', max_length=30)),
                ('vehicle_model', fields.ForeignKeyField('models.VehicleModel', source_field='vehicle_model_id', null=True, db_constraint=True, to_field='id', related_name='assignment_rules', on_delete=OnDelete.SET_NULL)),
                ('position', fields.IntField(default=0)),
                ('is_active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'assignment_rule', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Routes a new pool lead to a team by channel, region and vehicle model (empty matches any).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OwnershipChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='ownership_changes', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='ROUTE: ROUTE\nASSIGN: ASSIGN\nCLAIM: CLAIM\nRETURN: RETURN\nAUTO_RETURN: AUTO_RETURN', enum_type=OwnershipChangeKind, max_length=12)),
                ('from_user', fields.ForeignKeyField('models.User', source_field='from_user_id', null=True, db_constraint=True, to_field='id', related_name='customers_given_up', on_delete=OnDelete.SET_NULL)),
                ('to_user', fields.ForeignKeyField('models.User', source_field='to_user_id', null=True, db_constraint=True, to_field='id', related_name='customers_received', on_delete=OnDelete.SET_NULL)),
                ('actor_user', fields.ForeignKeyField('models.User', source_field='actor_user_id', null=True, db_constraint=True, to_field='id', related_name='ownership_moves', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'ownership_change', 'app': 'models', 'indexes': [Index(fields=['customer_id', 'created_at']), Index(fields=['to_user_id', 'kind', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One move of a customer between owners and the pool (claim caps and cooling-off read it).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='CloseReason',
            name='requires_competitor',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Opportunity',
            name='loss_review_note',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
    ]
