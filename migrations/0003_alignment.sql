-- The alignment step the platform ran right after the v5.0 dump (shared/reference/README.md):
-- move the JSONB lists of `personas` into their child tables, drop those four columns
-- (`personas.metadata` stays), add `persona_communication_preferences`, and give
-- `persona_evidence_summary` defaults for its NOT NULL judgement columns.

INSERT INTO persona_pain_points (persona_id, tenant_id, pain_point_text, pain_category, severity, sequence_order)
SELECT p.id,
       COALESCE(p.tenant_id, '00000000-0000-0000-0000-000000000000'::uuid),
       CASE jsonb_typeof(e.value) WHEN 'string' THEN e.value #>> '{}'
            ELSE COALESCE(e.value ->> 'pain_point_text', e.value ->> 'pain_point', e.value ->> 'text') END,
       CASE jsonb_typeof(e.value) WHEN 'object' THEN e.value ->> 'category' END,
       CASE WHEN e.value ->> 'severity' IN ('critical', 'high', 'medium', 'low') THEN e.value ->> 'severity' END,
       e.ordinality::integer
FROM personas p
CROSS JOIN LATERAL jsonb_array_elements(
    CASE jsonb_typeof(p.pain_points) WHEN 'array' THEN p.pain_points ELSE '[]'::jsonb END
) WITH ORDINALITY AS e(value, ordinality);

INSERT INTO persona_goals (persona_id, tenant_id, goal_text, goal_type, sequence_order)
SELECT p.id,
       COALESCE(p.tenant_id, '00000000-0000-0000-0000-000000000000'::uuid),
       CASE jsonb_typeof(e.value) WHEN 'string' THEN e.value #>> '{}'
            ELSE COALESCE(e.value ->> 'goal_text', e.value ->> 'goal', e.value ->> 'text') END,
       CASE jsonb_typeof(e.value) WHEN 'object' THEN e.value ->> 'goal_type' END,
       e.ordinality::integer
FROM personas p
CROSS JOIN LATERAL jsonb_array_elements(
    CASE jsonb_typeof(p.goals) WHEN 'array' THEN p.goals ELSE '[]'::jsonb END
) WITH ORDINALITY AS e(value, ordinality);

INSERT INTO persona_challenges (persona_id, tenant_id, challenge_text, challenge_type, sequence_order)
SELECT p.id,
       COALESCE(p.tenant_id, '00000000-0000-0000-0000-000000000000'::uuid),
       CASE jsonb_typeof(e.value) WHEN 'string' THEN e.value #>> '{}'
            ELSE COALESCE(e.value ->> 'challenge_text', e.value ->> 'challenge', e.value ->> 'text') END,
       CASE jsonb_typeof(e.value) WHEN 'object' THEN e.value ->> 'challenge_type' END,
       e.ordinality::integer
FROM personas p
CROSS JOIN LATERAL jsonb_array_elements(
    CASE jsonb_typeof(p.challenges) WHEN 'array' THEN p.challenges ELSE '[]'::jsonb END
) WITH ORDINALITY AS e(value, ordinality);

CREATE TABLE persona_communication_preferences (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    preference_type text,
    preference_value text,
    preference_description text,
    sequence_order integer,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_communication_preferences_pkey PRIMARY KEY (id),
    CONSTRAINT persona_communication_preferences_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_communication_preferences_persona_id ON persona_communication_preferences (persona_id);

-- communication_preferences was an object: one row per key.
INSERT INTO persona_communication_preferences (persona_id, tenant_id, preference_type, preference_value, sequence_order)
SELECT p.id,
       COALESCE(p.tenant_id, '00000000-0000-0000-0000-000000000000'::uuid),
       e.key,
       e.value #>> '{}',
       e.ordinality::integer
FROM personas p
CROSS JOIN LATERAL jsonb_each(
    CASE jsonb_typeof(p.communication_preferences) WHEN 'object' THEN p.communication_preferences ELSE '{}'::jsonb END
) WITH ORDINALITY AS e(key, value, ordinality);

ALTER TABLE personas
    DROP COLUMN pain_points,
    DROP COLUMN goals,
    DROP COLUMN challenges,
    DROP COLUMN communication_preferences;

ALTER TABLE persona_evidence_summary
    ALTER COLUMN overall_confidence_level SET DEFAULT 'medium',
    ALTER COLUMN evidence_quality_score SET DEFAULT 7,
    ALTER COLUMN evidence_recency_score SET DEFAULT 7;
