-- Plain mode only (plain.sql): TimescaleDB maintains its continuous aggregates itself.
select 1;
