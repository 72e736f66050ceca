-- TimescaleDB only (timescale.sql): ff_retention records the retention cut-offs it applies.
select 1;
