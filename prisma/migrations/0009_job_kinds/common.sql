-- Job kinds are defined once, in lib/jobs/kinds (one file each); requesting a run parses its kind
-- and payload there before anything is written, so the table no longer repeats the list.
alter table collection_runs drop constraint if exists collection_runs_kind_check;
