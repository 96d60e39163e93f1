-- psa results store, schema 1. The same SQL runs on H2 2.x and PostgreSQL 12+ (no dialect
-- branches): identity columns, VARCHAR, DOUBLE PRECISION, TIMESTAMP WITH TIME ZONE only.
-- Identity values are never handed out twice (not after a rollback, not after a delete), so a
-- run id is never reused.

CREATE TABLE psa_run (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_key     VARCHAR(500)  NOT NULL,
    name        VARCHAR(500)  NOT NULL,
    path        VARCHAR(4000) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT psa_run_key_unique UNIQUE (run_key)
);

CREATE TABLE psa_result (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id          BIGINT NOT NULL REFERENCES psa_run (id),
    stage           VARCHAR(100)  NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    config_hash     VARCHAR(64)   NOT NULL,
    config_json     VARCHAR(1000000) NOT NULL,
    components_json VARCHAR(100000)  NOT NULL,
    dataset         VARCHAR(4000) NOT NULL,
    split_name      VARCHAR(500)  NOT NULL,
    images          BIGINT NOT NULL,
    miou            DOUBLE PRECISION,
    pixel_accuracy  DOUBLE PRECISION,
    best_threshold  DOUBLE PRECISION,
    seconds         DOUBLE PRECISION NOT NULL,
    timings_json    VARCHAR(100000)  NOT NULL
);

CREATE INDEX psa_result_run_stage ON psa_result (run_id, stage);

CREATE TABLE psa_result_class (
    result_id   BIGINT NOT NULL REFERENCES psa_result (id),
    class_id    INTEGER NOT NULL,
    class_name  VARCHAR(200) NOT NULL,
    iou         DOUBLE PRECISION,
    class_precision DOUBLE PRECISION,
    class_recall    DOUBLE PRECISION,
    PRIMARY KEY (result_id, class_id)
);
