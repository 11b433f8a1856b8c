from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_locales_groups_workflow'),
    ]

    operations = [
        migrations.CreateModel(
            name='ScheduledJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('next_run_at', models.DateTimeField(blank=True, null=True, verbose_name='next run')),
                ('last_run_at', models.DateTimeField(blank=True, null=True, verbose_name='last run')),
                ('task_result_id', models.CharField(blank=True, max_length=64, verbose_name='queued task')),
            ],
            options={
                'verbose_name': 'scheduled job',
                'verbose_name_plural': 'scheduled jobs',
            },
        ),
    ]
