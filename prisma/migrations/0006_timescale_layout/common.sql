-- TimescaleDB layout only (timescale.sql): chunk intervals, compression settings, batched retention
-- and staggered job schedules. Plain PostgreSQL and the embedded server have nothing to change.
select 1;
