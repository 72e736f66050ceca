-- TimescaleDB only (timescale.sql): ff_catch_up_aggregates leaves the aggregates of retained days alone.
select 1;
