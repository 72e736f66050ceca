-- Admin sign-in sessions, kept on the server so that signing out (here or everywhere) ends them at
-- once. The cookie carries a random id; only its SHA-256 is stored, so a copy of this table signs
-- nobody in. credential_tag ties a session to the credentials it was opened with: changing
-- ADMIN_TOKEN or the password ends every session opened with the old one.
create table admin_sessions (
  id_hash text primary key,
  credential_tag text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index admin_sessions_expires_idx on admin_sessions (expires_at);
