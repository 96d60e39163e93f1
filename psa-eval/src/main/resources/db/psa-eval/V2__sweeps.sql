-- psa results store, schema 2: the variants of a sweep (psa sweep), each a run with its grid values.
-- A sweep is known by its folder (sweep_path) and named by sweep_name; the newest sweep of a name is
-- the one with the highest id. Same SQL for H2 and PostgreSQL.

CREATE TABLE psa_sweep_variant (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sweep_name  VARCHAR(500)  NOT NULL,
    sweep_path  VARCHAR(4000) NOT NULL,
    variant     VARCHAR(1000) NOT NULL,
    run_id      BIGINT NOT NULL REFERENCES psa_run (id),
    grid_json   VARCHAR(100000) NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT psa_sweep_variant_unique UNIQUE (sweep_path, variant)
);

CREATE INDEX psa_sweep_variant_name ON psa_sweep_variant (sweep_name);
