-- The 69 persona tables of the deployed VITAL database, exactly as dumped in
-- shared/reference/vital_live_schema_v5.json (the platform's actual_schema.json at commit
-- 52cf41d3): same columns in the same order, types, nullability, defaults, CHECK, UNIQUE and
-- FOREIGN KEY constraints with their original names. The dump does not hold primary keys or
-- indexes: `id` is the key of every table, and every FK column gets an index.
--
-- persona_vpanes_scoring has gaps in its ordinal positions in the live database (columns that
-- were added and later dropped); placeholder columns are added and dropped here so that
-- information_schema reports the same positions.

CREATE TABLE personas (
    id uuid DEFAULT uuid_generate_v4() NOT NULL,
    tenant_id uuid,
    name text NOT NULL,
    slug text NOT NULL,
    title text,
    tagline text,
    role_id uuid,
    function_id uuid,
    department_id uuid,
    seniority_level text,
    years_of_experience integer,
    typical_organization_size text,
    key_responsibilities text[] DEFAULT ARRAY[]::text[],
    pain_points jsonb DEFAULT '[]'::jsonb,
    goals jsonb DEFAULT '[]'::jsonb,
    challenges jsonb DEFAULT '[]'::jsonb,
    preferred_tools text[] DEFAULT ARRAY[]::text[],
    communication_preferences jsonb DEFAULT '{}'::jsonb,
    decision_making_style text,
    avatar_url text,
    avatar_description text,
    is_active boolean DEFAULT true,
    validation_status validation_status DEFAULT 'draft'::validation_status,
    tags text[] DEFAULT ARRAY[]::text[],
    metadata jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    years_in_current_role integer,
    years_in_industry integer,
    organization_type text,
    geographic_scope text,
    reporting_to text,
    team_size text,
    budget_authority text,
    age_range text,
    education_level text,
    location_type text,
    work_style text,
    learning_style text,
    technology_adoption text,
    risk_tolerance text,
    change_readiness text,
    background_story text,
    a_day_in_the_life text,
    color_code text,
    icon text,
    persona_type text,
    segment text,
    archetype text,
    journey_stage text,
    validated_by uuid,
    validated_at timestamp with time zone,
    notes text,
    role_slug text,
    function_slug text,
    department_slug text,
    persona_number integer,
    years_in_function integer,
    team_size_typical integer,
    direct_reports integer,
    span_of_control text,
    work_arrangement text,
    salary_min_usd integer,
    salary_max_usd integer,
    salary_median_usd integer,
    salary_currency text DEFAULT 'USD'::text,
    salary_year integer,
    salary_sources text,
    sample_size text,
    confidence_level text,
    data_recency text,
    geographic_benchmark_scope text,
    work_style_preference text,
    one_liner text,
    section text,
    CONSTRAINT personas_pkey PRIMARY KEY (id),
    CONSTRAINT personas_tenant_id_slug_key UNIQUE (tenant_id, slug),
    CONSTRAINT personas_department_id_fkey FOREIGN KEY (department_id) REFERENCES org_departments(id) ON DELETE SET NULL,
    CONSTRAINT personas_function_id_fkey FOREIGN KEY (function_id) REFERENCES org_functions(id) ON DELETE SET NULL,
    CONSTRAINT personas_role_id_fkey FOREIGN KEY (role_id) REFERENCES org_roles(id) ON DELETE SET NULL,
    CONSTRAINT personas_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT personas_validated_by_fkey FOREIGN KEY (validated_by) REFERENCES users(id)
);
CREATE INDEX idx_personas_department_id ON personas (department_id);
CREATE INDEX idx_personas_function_id ON personas (function_id);
CREATE INDEX idx_personas_role_id ON personas (role_id);
CREATE INDEX idx_personas_tenant_id ON personas (tenant_id);
CREATE INDEX idx_personas_validated_by ON personas (validated_by);

CREATE TABLE persona_annual_conferences (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    conference_name text NOT NULL,
    conference_type text,
    role text,
    value_derived text,
    networking_importance text,
    typical_quarter text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_annual_conferences_pkey PRIMARY KEY (id),
    CONSTRAINT persona_annual_conferences_conference_type_check CHECK ((conference_type = ANY (ARRAY['industry'::text, 'technical'::text, 'leadership'::text, 'networking'::text, 'regulatory'::text]))),
    CONSTRAINT persona_annual_conferences_networking_importance_check CHECK ((networking_importance = ANY (ARRAY['critical'::text, 'high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_annual_conferences_role_check CHECK ((role = ANY (ARRAY['attendee'::text, 'speaker'::text, 'exhibitor'::text, 'organizer'::text]))),
    CONSTRAINT persona_annual_conferences_typical_quarter_check CHECK ((typical_quarter = ANY (ARRAY['Q1'::text, 'Q2'::text, 'Q3'::text, 'Q4'::text]))),
    CONSTRAINT persona_annual_conferences_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_annual_conferences_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_annual_conferences_persona_id ON persona_annual_conferences (persona_id);
CREATE INDEX idx_persona_annual_conferences_tenant_id ON persona_annual_conferences (tenant_id);

CREATE TABLE persona_aspirations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    aspiration_text text NOT NULL,
    timeframe text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_aspirations_pkey PRIMARY KEY (id),
    CONSTRAINT persona_aspirations_timeframe_check CHECK ((timeframe = ANY (ARRAY['short_term'::text, 'medium_term'::text, 'long_term'::text]))),
    CONSTRAINT persona_aspirations_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_aspirations_persona_id ON persona_aspirations (persona_id);

CREATE TABLE persona_buying_process (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    role_in_purchase text,
    decision_timeframe text,
    typical_budget_range text,
    approval_process_complexity text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_buying_process_pkey PRIMARY KEY (id),
    CONSTRAINT persona_buying_process_approval_process_complexity_check CHECK ((approval_process_complexity = ANY (ARRAY['simple'::text, 'moderate'::text, 'complex'::text, 'very_complex'::text]))),
    CONSTRAINT persona_buying_process_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_buying_process_persona_id ON persona_buying_process (persona_id);

CREATE TABLE persona_buying_triggers (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    trigger_type text,
    trigger_description text NOT NULL,
    urgency_level text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_buying_triggers_pkey PRIMARY KEY (id),
    CONSTRAINT persona_buying_triggers_trigger_type_check CHECK ((trigger_type = ANY (ARRAY['regulatory'::text, 'competitive'::text, 'internal_initiative'::text, 'crisis'::text, 'growth'::text]))),
    CONSTRAINT persona_buying_triggers_urgency_level_check CHECK ((urgency_level = ANY (ARRAY['immediate'::text, 'high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_buying_triggers_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_buying_triggers_persona_id ON persona_buying_triggers (persona_id);

CREATE TABLE persona_career_trajectory (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    year_in_role integer,
    expected_progression text,
    skill_development text[],
    certification_targets text[],
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_career_trajectory_pkey PRIMARY KEY (id),
    CONSTRAINT persona_career_trajectory_year_in_role_check CHECK ((year_in_role > 0)),
    CONSTRAINT persona_career_trajectory_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_career_trajectory_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_career_trajectory_persona_id ON persona_career_trajectory (persona_id);
CREATE INDEX idx_persona_career_trajectory_tenant_id ON persona_career_trajectory (tenant_id);

CREATE TABLE persona_case_studies (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    case_study_title text NOT NULL,
    organization_name text NOT NULL,
    organization_size text,
    organization_revenue numeric(15,2),
    industry text NOT NULL,
    sub_industry text,
    geographic_location text,
    market_context text,
    case_type text NOT NULL,
    use_case_category text,
    challenge_addressed text NOT NULL,
    business_pain_points text[],
    technical_challenges text[],
    organizational_barriers text[],
    solution_implemented text NOT NULL,
    solution_components text[],
    technologies_used text[],
    methodologies_applied text[],
    timeline text,
    timeline_months integer,
    implementation_phases text[],
    investment_required numeric(15,2),
    investment_currency text DEFAULT 'USD'::text,
    team_size integer,
    external_partners text[],
    outcomes_achieved text[] NOT NULL,
    qualitative_benefits text[],
    roi_achieved numeric(8,2),
    roi_timeframe text,
    payback_period_months integer,
    cost_savings numeric(15,2),
    revenue_impact numeric(15,2),
    efficiency_gains text[],
    kpis_improved text[],
    sustained_results boolean,
    lessons_learned text[],
    success_factors text[],
    challenges_encountered text[],
    recommendations text[],
    what_would_do_differently text[],
    relevance_to_persona text NOT NULL,
    relevance_score integer NOT NULL,
    applicable_lessons text[],
    transferable_strategies text[],
    case_source text,
    case_source_type text,
    verified boolean DEFAULT false,
    verification_method text,
    source_url text,
    published_date date,
    author text,
    reviewed_by text,
    review_date date,
    review_notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_case_studies_pkey PRIMARY KEY (id),
    CONSTRAINT persona_case_studies_case_source_type_check CHECK ((case_source_type = ANY (ARRAY['first_hand'::text, 'vendor_published'::text, 'analyst_research'::text, 'media_coverage'::text, 'academic_study'::text, 'conference_presentation'::text, 'internal'::text]))),
    CONSTRAINT persona_case_studies_case_type_check CHECK ((case_type = ANY (ARRAY['success_story'::text, 'failure_lesson'::text, 'transformation'::text, 'implementation'::text, 'innovation'::text, 'turnaround'::text, 'scaling'::text, 'optimization'::text, 'crisis_management'::text]))),
    CONSTRAINT persona_case_studies_investment_required_check CHECK ((investment_required >= (0)::numeric)),
    CONSTRAINT persona_case_studies_organization_size_check CHECK ((organization_size = ANY (ARRAY['enterprise'::text, 'large'::text, 'mid_market'::text, 'small'::text, 'startup'::text]))),
    CONSTRAINT persona_case_studies_payback_period_months_check CHECK ((payback_period_months >= 0)),
    CONSTRAINT persona_case_studies_relevance_score_check CHECK (((relevance_score >= 1) AND (relevance_score <= 10))),
    CONSTRAINT persona_case_studies_team_size_check CHECK ((team_size >= 0)),
    CONSTRAINT persona_case_studies_timeline_months_check CHECK ((timeline_months >= 0)),
    CONSTRAINT persona_case_studies_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_case_studies_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_case_studies_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_case_studies_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_case_studies_created_by ON persona_case_studies (created_by);
CREATE INDEX idx_persona_case_studies_persona_id ON persona_case_studies (persona_id);
CREATE INDEX idx_persona_case_studies_tenant_id ON persona_case_studies (tenant_id);
CREATE INDEX idx_persona_case_studies_updated_by ON persona_case_studies (updated_by);

CREATE TABLE persona_case_study_investments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    case_study_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    category text NOT NULL,
    description text,
    amount numeric(15,2) NOT NULL,
    currency text DEFAULT 'USD'::text,
    percentage_of_total numeric(5,2),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_case_study_investments_pkey PRIMARY KEY (id),
    CONSTRAINT persona_case_study_investments_amount_check CHECK ((amount >= (0)::numeric)),
    CONSTRAINT persona_case_study_investments_percentage_of_total_check CHECK (((percentage_of_total >= (0)::numeric) AND (percentage_of_total <= (100)::numeric))),
    CONSTRAINT persona_case_study_investments_case_study_id_fkey FOREIGN KEY (case_study_id) REFERENCES persona_case_studies(id) ON DELETE CASCADE,
    CONSTRAINT persona_case_study_investments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_case_study_investments_case_study_id ON persona_case_study_investments (case_study_id);
CREATE INDEX idx_persona_case_study_investments_tenant_id ON persona_case_study_investments (tenant_id);

CREATE TABLE persona_case_study_metrics (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    case_study_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    metric_name text NOT NULL,
    metric_category text,
    before_value numeric(20,6),
    before_text text,
    after_value numeric(20,6),
    after_text text,
    improvement_percentage numeric(8,2),
    improvement_absolute numeric(20,6),
    unit_of_measure text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_case_study_metrics_pkey PRIMARY KEY (id),
    CONSTRAINT persona_case_study_metrics_case_study_id_fkey FOREIGN KEY (case_study_id) REFERENCES persona_case_studies(id) ON DELETE CASCADE,
    CONSTRAINT persona_case_study_metrics_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_case_study_metrics_case_study_id ON persona_case_study_metrics (case_study_id);
CREATE INDEX idx_persona_case_study_metrics_tenant_id ON persona_case_study_metrics (tenant_id);

CREATE TABLE persona_case_study_results (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    case_study_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    metric_name text NOT NULL,
    metric_category text,
    numeric_value numeric(20,6),
    text_value text,
    unit_of_measure text,
    measurement_period text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_case_study_results_pkey PRIMARY KEY (id),
    CONSTRAINT persona_case_study_results_case_study_id_fkey FOREIGN KEY (case_study_id) REFERENCES persona_case_studies(id) ON DELETE CASCADE,
    CONSTRAINT persona_case_study_results_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_case_study_results_case_study_id ON persona_case_study_results (case_study_id);
CREATE INDEX idx_persona_case_study_results_tenant_id ON persona_case_study_results (tenant_id);

CREATE TABLE persona_certifications (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    certification_name text,
    issuing_organization text,
    year_obtained integer,
    is_current boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid,
    updated_at timestamp with time zone DEFAULT now(),
    sequence_order integer,
    CONSTRAINT persona_certifications_pkey PRIMARY KEY (id),
    CONSTRAINT persona_certifications_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_certifications_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_certifications_persona_id ON persona_certifications (persona_id);
CREATE INDEX idx_persona_certifications_tenant_id ON persona_certifications (tenant_id);

CREATE TABLE persona_challenges (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    challenge_type text,
    challenge_description text,
    impact_level text,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid DEFAULT '00000000-0000-0000-0000-000000000000'::uuid NOT NULL,
    sequence_order integer,
    updated_at timestamp with time zone DEFAULT now(),
    challenge_text text,
    CONSTRAINT persona_challenges_pkey PRIMARY KEY (id),
    CONSTRAINT persona_challenges_challenge_type_check CHECK ((challenge_type = ANY (ARRAY['daily'::text, 'weekly'::text, 'strategic'::text, 'external'::text]))),
    CONSTRAINT persona_challenges_impact_level_check CHECK ((impact_level = ANY (ARRAY['critical'::text, 'high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_challenges_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_challenges_persona_id ON persona_challenges (persona_id);

CREATE TABLE persona_communication_channels (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    channel_name text,
    preference_level text,
    best_time_of_day text,
    best_day_of_week text,
    response_time_expectation text,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid DEFAULT '00000000-0000-0000-0000-000000000000'::uuid NOT NULL,
    updated_at timestamp with time zone DEFAULT now(),
    sequence_order integer,
    CONSTRAINT persona_communication_channels_pkey PRIMARY KEY (id),
    CONSTRAINT persona_communication_channels_preference_level_check CHECK ((preference_level = ANY (ARRAY['preferred'::text, 'acceptable'::text, 'avoid'::text, 'never'::text]))),
    CONSTRAINT persona_communication_channels_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_communication_channels_persona_id ON persona_communication_channels (persona_id);

CREATE TABLE persona_communication_style (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    preferred_style text,
    meeting_length_preference text,
    presentation_style text,
    decision_pace text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_communication_style_pkey PRIMARY KEY (id),
    CONSTRAINT persona_communication_style_persona_id_key UNIQUE (persona_id),
    CONSTRAINT persona_communication_style_decision_pace_check CHECK ((decision_pace = ANY (ARRAY['fast'::text, 'moderate'::text, 'deliberate'::text, 'slow'::text]))),
    CONSTRAINT persona_communication_style_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_communication_style_persona_id ON persona_communication_style (persona_id);

CREATE TABLE persona_content_format_preferences (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    format_element text NOT NULL,
    preference text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_content_format_preferences_pkey PRIMARY KEY (id),
    CONSTRAINT persona_content_format_preferences_preference_check CHECK ((preference = ANY (ARRAY['required'::text, 'preferred'::text, 'neutral'::text, 'avoid'::text]))),
    CONSTRAINT persona_content_format_preferences_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_content_format_preferences_persona_id ON persona_content_format_preferences (persona_id);

CREATE TABLE persona_content_preferences (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    content_type text NOT NULL,
    preference_level text,
    ideal_length text,
    ideal_format text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_content_preferences_pkey PRIMARY KEY (id),
    CONSTRAINT persona_content_preferences_preference_level_check CHECK ((preference_level = ANY (ARRAY['strongly_prefer'::text, 'prefer'::text, 'neutral'::text, 'avoid'::text]))),
    CONSTRAINT persona_content_preferences_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_content_preferences_persona_id ON persona_content_preferences (persona_id);

CREATE TABLE persona_customer_relationships (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    customer_segment text NOT NULL,
    geographic_market text,
    industry_vertical text,
    interaction_type text NOT NULL,
    touchpoint_frequency text,
    primary_channel text,
    customer_count integer,
    account_count integer,
    revenue_responsibility numeric(15,2),
    satisfaction_metric text,
    current_satisfaction_score numeric(5,2),
    satisfaction_target numeric(5,2),
    satisfaction_trend text,
    retention_rate numeric(5,4),
    retention_target numeric(5,4),
    churn_risk_accounts integer,
    expansion_opportunities integer,
    upsell_pipeline_value numeric(15,2),
    value_delivery_focus text[],
    key_success_metrics text[],
    top_customer_priorities text[],
    relationship_health text,
    escalations_count integer DEFAULT 0,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_customer_relationships_pkey PRIMARY KEY (id),
    CONSTRAINT persona_customer_relationships_account_count_check CHECK ((account_count >= 0)),
    CONSTRAINT persona_customer_relationships_churn_risk_accounts_check CHECK ((churn_risk_accounts >= 0)),
    CONSTRAINT persona_customer_relationships_customer_count_check CHECK ((customer_count >= 0)),
    CONSTRAINT persona_customer_relationships_customer_segment_check CHECK ((customer_segment = ANY (ARRAY['enterprise'::text, 'mid_market'::text, 'smb'::text, 'startup'::text, 'government'::text, 'education'::text, 'non_profit'::text, 'healthcare'::text, 'financial_services'::text, 'other'::text]))),
    CONSTRAINT persona_customer_relationships_escalations_count_check CHECK ((escalations_count >= 0)),
    CONSTRAINT persona_customer_relationships_expansion_opportunities_check CHECK ((expansion_opportunities >= 0)),
    CONSTRAINT persona_customer_relationships_interaction_type_check CHECK ((interaction_type = ANY (ARRAY['direct'::text, 'indirect'::text, 'support'::text, 'strategic'::text, 'operational'::text, 'mixed'::text]))),
    CONSTRAINT persona_customer_relationships_primary_channel_check CHECK ((primary_channel = ANY (ARRAY['face_to_face'::text, 'video'::text, 'phone'::text, 'email'::text, 'portal'::text, 'events'::text, 'mixed'::text]))),
    CONSTRAINT persona_customer_relationships_relationship_health_check CHECK ((relationship_health = ANY (ARRAY['excellent'::text, 'good'::text, 'fair'::text, 'poor'::text, 'at_risk'::text]))),
    CONSTRAINT persona_customer_relationships_retention_rate_check CHECK (((retention_rate >= (0)::numeric) AND (retention_rate <= (1)::numeric))),
    CONSTRAINT persona_customer_relationships_retention_target_check CHECK (((retention_target >= (0)::numeric) AND (retention_target <= (1)::numeric))),
    CONSTRAINT persona_customer_relationships_revenue_responsibility_check CHECK ((revenue_responsibility >= (0)::numeric)),
    CONSTRAINT persona_customer_relationships_satisfaction_metric_check CHECK ((satisfaction_metric = ANY (ARRAY['NPS'::text, 'CSAT'::text, 'CES'::text, 'Custom'::text, 'Multiple'::text, 'None'::text]))),
    CONSTRAINT persona_customer_relationships_satisfaction_trend_check CHECK ((satisfaction_trend = ANY (ARRAY['improving'::text, 'stable'::text, 'declining'::text, 'volatile'::text]))),
    CONSTRAINT persona_customer_relationships_touchpoint_frequency_check CHECK ((touchpoint_frequency = ANY (ARRAY['daily'::text, 'multiple_weekly'::text, 'weekly'::text, 'bi_weekly'::text, 'monthly'::text, 'quarterly'::text, 'ad_hoc'::text]))),
    CONSTRAINT persona_customer_relationships_upsell_pipeline_value_check CHECK ((upsell_pipeline_value >= (0)::numeric)),
    CONSTRAINT persona_customer_relationships_value_delivery_focus_check CHECK ((value_delivery_focus <@ ARRAY['ROI'::text, 'Cost_Savings'::text, 'Efficiency'::text, 'Innovation'::text, 'Quality'::text, 'Speed'::text, 'Reliability'::text, 'Support'::text, 'Training'::text, 'Integration'::text])),
    CONSTRAINT persona_customer_relationships_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_customer_relationships_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_customer_relationships_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_customer_relationships_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_customer_relationships_created_by ON persona_customer_relationships (created_by);
CREATE INDEX idx_persona_customer_relationships_persona_id ON persona_customer_relationships (persona_id);
CREATE INDEX idx_persona_customer_relationships_tenant_id ON persona_customer_relationships (tenant_id);
CREATE INDEX idx_persona_customer_relationships_updated_by ON persona_customer_relationships (updated_by);

CREATE TABLE persona_decision_authority (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    decision_area text NOT NULL,
    authority_level text,
    budget_limit text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_decision_authority_pkey PRIMARY KEY (id),
    CONSTRAINT persona_decision_authority_authority_level_check CHECK ((authority_level = ANY (ARRAY['full'::text, 'approval_required'::text, 'recommend_only'::text, 'none'::text]))),
    CONSTRAINT persona_decision_authority_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_decision_authority_persona_id ON persona_decision_authority (persona_id);

CREATE TABLE persona_decision_makers (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    stakeholder_role text,
    influence_level text,
    relationship_quality text,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid DEFAULT '00000000-0000-0000-0000-000000000000'::uuid NOT NULL,
    updated_at timestamp with time zone DEFAULT now(),
    sequence_order integer,
    decision_maker_role text,
    CONSTRAINT persona_decision_makers_pkey PRIMARY KEY (id),
    CONSTRAINT persona_decision_makers_influence_level_check CHECK ((influence_level = ANY (ARRAY['final_approver'::text, 'strong_influence'::text, 'moderate_influence'::text, 'low_influence'::text, 'advisor'::text]))),
    CONSTRAINT persona_decision_makers_relationship_quality_check CHECK ((relationship_quality = ANY (ARRAY['strong'::text, 'good'::text, 'neutral'::text, 'weak'::text]))),
    CONSTRAINT persona_decision_makers_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_decision_makers_persona_id ON persona_decision_makers (persona_id);

CREATE TABLE persona_education (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    field_of_study text,
    degree_level text,
    institution text,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid,
    updated_at timestamp with time zone DEFAULT now(),
    sequence_order integer,
    degree text,
    year_completed integer,
    CONSTRAINT persona_education_pkey PRIMARY KEY (id),
    CONSTRAINT persona_education_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_education_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_education_persona_id ON persona_education (persona_id);
CREATE INDEX idx_persona_education_tenant_id ON persona_education (tenant_id);

CREATE TABLE persona_evaluation_criteria (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    criterion_name text NOT NULL,
    criterion_category text,
    criterion_description text,
    weight integer,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_evaluation_criteria_pkey PRIMARY KEY (id),
    CONSTRAINT persona_evaluation_criteria_criterion_category_check CHECK ((criterion_category = ANY (ARRAY['must_have'::text, 'important'::text, 'nice_to_have'::text]))),
    CONSTRAINT persona_evaluation_criteria_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_evaluation_criteria_persona_id ON persona_evaluation_criteria (persona_id);

CREATE TABLE persona_evidence_sources (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    source_type text,
    citation text,
    key_finding text,
    sample_size integer,
    methodology text,
    publication_date date,
    confidence_level text,
    url text,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_evidence_sources_pkey PRIMARY KEY (id),
    CONSTRAINT persona_evidence_sources_confidence_level_check CHECK ((confidence_level = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'very_high'::text]))),
    CONSTRAINT persona_evidence_sources_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_evidence_sources_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_evidence_sources_persona_id ON persona_evidence_sources (persona_id);
CREATE INDEX idx_persona_evidence_sources_tenant_id ON persona_evidence_sources (tenant_id);

CREATE TABLE persona_evidence_summary (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    total_sources integer DEFAULT 0 NOT NULL,
    research_studies_count integer DEFAULT 0,
    industry_reports_count integer DEFAULT 0,
    expert_opinions_count integer DEFAULT 0,
    case_studies_count integer DEFAULT 0,
    statistics_count integer DEFAULT 0,
    other_sources_count integer DEFAULT 0,
    overall_confidence_level text NOT NULL,
    overall_confidence_score numeric(4,3),
    evidence_quality_score integer NOT NULL,
    evidence_recency_score integer NOT NULL,
    evidence_diversity_score integer,
    peer_reviewed_count integer DEFAULT 0,
    verified_sources_count integer DEFAULT 0,
    primary_sources_count integer DEFAULT 0,
    secondary_sources_count integer DEFAULT 0,
    well_supported_attributes text[],
    moderately_supported_attributes text[],
    weakly_supported_attributes text[],
    unsupported_attributes text[],
    evidence_gaps text[],
    critical_gaps text[],
    research_needs text[],
    data_collection_priorities text[],
    geographic_coverage_assessment text,
    geographic_gaps text[],
    demographic_coverage_assessment text,
    demographic_gaps text[],
    most_recent_evidence_date date,
    oldest_evidence_date date,
    median_evidence_age_days integer,
    outdated_evidence_count integer DEFAULT 0,
    validation_status text,
    validation_confidence text,
    last_evidence_review date,
    last_comprehensive_review date,
    next_review_due date,
    review_frequency_days integer DEFAULT 90,
    demographic_evidence_strength text,
    behavioral_evidence_strength text,
    professional_evidence_strength text,
    psychographic_evidence_strength text,
    buying_evidence_strength text,
    average_credibility_score numeric(4,2),
    credibility_variance numeric(4,2),
    bias_assessment text,
    conflicts_identified text[],
    strongest_supported_claims text[],
    controversial_claims text[],
    conflicting_evidence text[],
    emerging_insights text[],
    evidence_improvement_actions text[],
    priority_research_topics text[],
    suggested_validations text[],
    analyst_commentary text,
    review_notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_evidence_summary_pkey PRIMARY KEY (id),
    CONSTRAINT unique_persona_evidence_summary UNIQUE (persona_id),
    CONSTRAINT persona_evidence_summary_average_credibility_score_check CHECK (((average_credibility_score >= (1)::numeric) AND (average_credibility_score <= (10)::numeric))),
    CONSTRAINT persona_evidence_summary_behavioral_evidence_strength_check CHECK ((behavioral_evidence_strength = ANY (ARRAY['very_strong'::text, 'strong'::text, 'moderate'::text, 'weak'::text, 'very_weak'::text, 'none'::text]))),
    CONSTRAINT persona_evidence_summary_buying_evidence_strength_check CHECK ((buying_evidence_strength = ANY (ARRAY['very_strong'::text, 'strong'::text, 'moderate'::text, 'weak'::text, 'very_weak'::text, 'none'::text]))),
    CONSTRAINT persona_evidence_summary_case_studies_count_check CHECK ((case_studies_count >= 0)),
    CONSTRAINT persona_evidence_summary_demographic_evidence_strength_check CHECK ((demographic_evidence_strength = ANY (ARRAY['very_strong'::text, 'strong'::text, 'moderate'::text, 'weak'::text, 'very_weak'::text, 'none'::text]))),
    CONSTRAINT persona_evidence_summary_evidence_diversity_score_check CHECK (((evidence_diversity_score >= 1) AND (evidence_diversity_score <= 10))),
    CONSTRAINT persona_evidence_summary_evidence_quality_score_check CHECK (((evidence_quality_score >= 1) AND (evidence_quality_score <= 10))),
    CONSTRAINT persona_evidence_summary_evidence_recency_score_check CHECK (((evidence_recency_score >= 1) AND (evidence_recency_score <= 10))),
    CONSTRAINT persona_evidence_summary_expert_opinions_count_check CHECK ((expert_opinions_count >= 0)),
    CONSTRAINT persona_evidence_summary_industry_reports_count_check CHECK ((industry_reports_count >= 0)),
    CONSTRAINT persona_evidence_summary_other_sources_count_check CHECK ((other_sources_count >= 0)),
    CONSTRAINT persona_evidence_summary_overall_confidence_level_check CHECK ((overall_confidence_level = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'very_low'::text]))),
    CONSTRAINT persona_evidence_summary_overall_confidence_score_check CHECK (((overall_confidence_score >= (0)::numeric) AND (overall_confidence_score <= (1)::numeric))),
    CONSTRAINT persona_evidence_summary_peer_reviewed_count_check CHECK ((peer_reviewed_count >= 0)),
    CONSTRAINT persona_evidence_summary_primary_sources_count_check CHECK ((primary_sources_count >= 0)),
    CONSTRAINT persona_evidence_summary_professional_evidence_strength_check CHECK ((professional_evidence_strength = ANY (ARRAY['very_strong'::text, 'strong'::text, 'moderate'::text, 'weak'::text, 'very_weak'::text, 'none'::text]))),
    CONSTRAINT persona_evidence_summary_psychographic_evidence_strength_check CHECK ((psychographic_evidence_strength = ANY (ARRAY['very_strong'::text, 'strong'::text, 'moderate'::text, 'weak'::text, 'very_weak'::text, 'none'::text]))),
    CONSTRAINT persona_evidence_summary_research_studies_count_check CHECK ((research_studies_count >= 0)),
    CONSTRAINT persona_evidence_summary_secondary_sources_count_check CHECK ((secondary_sources_count >= 0)),
    CONSTRAINT persona_evidence_summary_statistics_count_check CHECK ((statistics_count >= 0)),
    CONSTRAINT persona_evidence_summary_total_sources_check CHECK ((total_sources >= 0)),
    CONSTRAINT persona_evidence_summary_validation_confidence_check CHECK ((validation_confidence = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'very_low'::text]))),
    CONSTRAINT persona_evidence_summary_validation_status_check CHECK ((validation_status = ANY (ARRAY['fully_validated'::text, 'mostly_validated'::text, 'partially_validated'::text, 'minimally_validated'::text, 'not_validated'::text]))),
    CONSTRAINT persona_evidence_summary_verified_sources_count_check CHECK ((verified_sources_count >= 0)),
    CONSTRAINT persona_evidence_summary_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_evidence_summary_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_evidence_summary_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_evidence_summary_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_evidence_summary_created_by ON persona_evidence_summary (created_by);
CREATE INDEX idx_persona_evidence_summary_persona_id ON persona_evidence_summary (persona_id);
CREATE INDEX idx_persona_evidence_summary_tenant_id ON persona_evidence_summary (tenant_id);
CREATE INDEX idx_persona_evidence_summary_updated_by ON persona_evidence_summary (updated_by);

CREATE TABLE persona_expert_opinions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    expert_name text NOT NULL,
    expert_title text,
    expert_credentials text NOT NULL,
    expert_organization text,
    expert_bio text,
    years_of_experience integer,
    areas_of_expertise text[],
    publications_count integer DEFAULT 0,
    speaking_engagements integer DEFAULT 0,
    opinion_type text NOT NULL,
    opinion_date date,
    opinion_venue text,
    topic_area text NOT NULL,
    key_insights text[] NOT NULL,
    main_arguments text[],
    supporting_evidence text[],
    counterarguments text[],
    validation_points text[],
    validates_attributes text[],
    challenges_assumptions text[],
    provides_context text[],
    credibility_score integer,
    bias_assessment text,
    conflicts_of_interest text[],
    relevance_score integer NOT NULL,
    applicability text,
    source_url text,
    source_type text,
    access_type text,
    cited_sources text[],
    citation_count integer DEFAULT 0,
    peer_validated boolean DEFAULT false,
    reviewed_by text,
    review_date date,
    review_notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_expert_opinions_pkey PRIMARY KEY (id),
    CONSTRAINT persona_expert_opinions_access_type_check CHECK ((access_type = ANY (ARRAY['public'::text, 'registration_required'::text, 'subscription'::text, 'purchased'::text, 'proprietary'::text]))),
    CONSTRAINT persona_expert_opinions_applicability_check CHECK ((applicability = ANY (ARRAY['directly_applicable'::text, 'mostly_applicable'::text, 'partially_applicable'::text, 'tangentially_applicable'::text, 'context_only'::text]))),
    CONSTRAINT persona_expert_opinions_bias_assessment_check CHECK ((bias_assessment = ANY (ARRAY['unbiased'::text, 'minimal_bias'::text, 'some_bias'::text, 'significant_bias'::text, 'highly_biased'::text]))),
    CONSTRAINT persona_expert_opinions_citation_count_check CHECK ((citation_count >= 0)),
    CONSTRAINT persona_expert_opinions_credibility_score_check CHECK (((credibility_score >= 1) AND (credibility_score <= 10))),
    CONSTRAINT persona_expert_opinions_opinion_type_check CHECK ((opinion_type = ANY (ARRAY['interview'::text, 'article'::text, 'blog_post'::text, 'presentation'::text, 'keynote'::text, 'panel_discussion'::text, 'podcast'::text, 'webinar'::text, 'book'::text, 'whitepaper'::text, 'advisory_opinion'::text, 'expert_testimony'::text]))),
    CONSTRAINT persona_expert_opinions_publications_count_check CHECK ((publications_count >= 0)),
    CONSTRAINT persona_expert_opinions_relevance_score_check CHECK (((relevance_score >= 1) AND (relevance_score <= 10))),
    CONSTRAINT persona_expert_opinions_source_type_check CHECK ((source_type = ANY (ARRAY['primary'::text, 'secondary'::text, 'tertiary'::text]))),
    CONSTRAINT persona_expert_opinions_speaking_engagements_check CHECK ((speaking_engagements >= 0)),
    CONSTRAINT persona_expert_opinions_years_of_experience_check CHECK ((years_of_experience >= 0)),
    CONSTRAINT persona_expert_opinions_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_expert_opinions_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_expert_opinions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_expert_opinions_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_expert_opinions_created_by ON persona_expert_opinions (created_by);
CREATE INDEX idx_persona_expert_opinions_persona_id ON persona_expert_opinions (persona_id);
CREATE INDEX idx_persona_expert_opinions_tenant_id ON persona_expert_opinions (tenant_id);
CREATE INDEX idx_persona_expert_opinions_updated_by ON persona_expert_opinions (updated_by);

CREATE TABLE persona_external_stakeholders (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    stakeholder_name text NOT NULL,
    organization text,
    stakeholder_type text NOT NULL,
    relationship_importance text NOT NULL,
    interaction_mode text,
    relationship_duration text,
    value_exchange text,
    value_type text[],
    satisfaction_level text,
    relationship_health text,
    contract_value numeric(15,2),
    annual_value numeric(15,2),
    growth_potential text,
    risk_level text,
    strategic_alignment text,
    competitive_positioning text,
    renewal_date date,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_external_stakeholders_pkey PRIMARY KEY (id),
    CONSTRAINT persona_external_stakeholders_annual_value_check CHECK ((annual_value >= (0)::numeric)),
    CONSTRAINT persona_external_stakeholders_contract_value_check CHECK ((contract_value >= (0)::numeric)),
    CONSTRAINT persona_external_stakeholders_growth_potential_check CHECK ((growth_potential = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text]))),
    CONSTRAINT persona_external_stakeholders_interaction_mode_check CHECK ((interaction_mode = ANY (ARRAY['face_to_face'::text, 'virtual_meetings'::text, 'email'::text, 'phone'::text, 'events'::text, 'conferences'::text, 'mixed'::text, 'infrequent'::text]))),
    CONSTRAINT persona_external_stakeholders_relationship_duration_check CHECK ((relationship_duration = ANY (ARRAY['new'::text, 'under_1_year'::text, '1_2_years'::text, '3_5_years'::text, '5_10_years'::text, '10_plus_years'::text]))),
    CONSTRAINT persona_external_stakeholders_relationship_health_check CHECK ((relationship_health = ANY (ARRAY['excellent'::text, 'good'::text, 'fair'::text, 'poor'::text, 'at_risk'::text]))),
    CONSTRAINT persona_external_stakeholders_relationship_importance_check CHECK ((relationship_importance = ANY (ARRAY['critical'::text, 'very_high'::text, 'high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_external_stakeholders_risk_level_check CHECK ((risk_level = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text]))),
    CONSTRAINT persona_external_stakeholders_satisfaction_level_check CHECK ((satisfaction_level = ANY (ARRAY['very_satisfied'::text, 'satisfied'::text, 'neutral'::text, 'dissatisfied'::text, 'very_dissatisfied'::text]))),
    CONSTRAINT persona_external_stakeholders_stakeholder_type_check CHECK ((stakeholder_type = ANY (ARRAY['customer'::text, 'client'::text, 'vendor'::text, 'supplier'::text, 'partner'::text, 'alliance'::text, 'consultant'::text, 'advisor'::text, 'investor'::text, 'board_member'::text, 'media'::text, 'analyst'::text, 'regulator'::text, 'academic'::text, 'community'::text]))),
    CONSTRAINT persona_external_stakeholders_value_type_check CHECK ((ARRAY['revenue'::text, 'expertise'::text, 'access'::text, 'credibility'::text, 'innovation'::text, 'market_intel'::text, 'referrals'::text, 'brand'::text] @> value_type)),
    CONSTRAINT persona_external_stakeholders_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_external_stakeholders_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_external_stakeholders_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_external_stakeholders_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_external_stakeholders_created_by ON persona_external_stakeholders (created_by);
CREATE INDEX idx_persona_external_stakeholders_persona_id ON persona_external_stakeholders (persona_id);
CREATE INDEX idx_persona_external_stakeholders_tenant_id ON persona_external_stakeholders (tenant_id);
CREATE INDEX idx_persona_external_stakeholders_updated_by ON persona_external_stakeholders (updated_by);

CREATE TABLE persona_fears (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    fear_description text NOT NULL,
    likelihood text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_fears_pkey PRIMARY KEY (id),
    CONSTRAINT persona_fears_likelihood_check CHECK ((likelihood = ANY (ARRAY['high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_fears_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_fears_persona_id ON persona_fears (persona_id);

CREATE TABLE persona_frustrations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    frustration_text text,
    emotional_intensity text,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid DEFAULT '00000000-0000-0000-0000-000000000000'::uuid NOT NULL,
    sequence_order integer,
    updated_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_frustrations_pkey PRIMARY KEY (id),
    CONSTRAINT persona_frustrations_emotional_intensity_check CHECK ((emotional_intensity = ANY (ARRAY['high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_frustrations_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_frustrations_persona_id ON persona_frustrations (persona_id);

CREATE TABLE persona_goals (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    goal_type text,
    goal_text text,
    priority integer DEFAULT 0,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid DEFAULT '00000000-0000-0000-0000-000000000000'::uuid NOT NULL,
    sequence_order integer,
    updated_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_goals_pkey PRIMARY KEY (id),
    CONSTRAINT persona_goals_goal_type_check CHECK ((goal_type = ANY (ARRAY['primary'::text, 'secondary'::text, 'long_term'::text, 'personal'::text]))),
    CONSTRAINT persona_goals_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_goals_persona_id ON persona_goals (persona_id);

CREATE TABLE persona_groups_memberships (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    group_name text NOT NULL,
    platform text,
    participation_level text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_groups_memberships_pkey PRIMARY KEY (id),
    CONSTRAINT persona_groups_memberships_participation_level_check CHECK ((participation_level = ANY (ARRAY['very_active'::text, 'active'::text, 'lurker'::text, 'inactive'::text]))),
    CONSTRAINT persona_groups_memberships_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_groups_memberships_persona_id ON persona_groups_memberships (persona_id);

CREATE TABLE persona_industry_relationships (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    organization_name text NOT NULL,
    organization_type text NOT NULL,
    organization_focus text,
    geographic_scope text,
    membership_level text,
    membership_start_date date,
    membership_dues numeric(10,2),
    involvement_type text,
    time_commitment_hours integer,
    meeting_frequency text,
    value_derived text,
    value_categories text[],
    tangible_benefits text[],
    visibility_level text,
    thought_leadership_role boolean DEFAULT false,
    speaking_frequency text,
    publication_frequency text,
    media_presence text,
    strategic_value text,
    career_impact text,
    organizational_benefit text,
    recent_contributions text[],
    upcoming_commitments text[],
    awards_recognition text[],
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_industry_relationships_pkey PRIMARY KEY (id),
    CONSTRAINT persona_industry_relationships_career_impact_check CHECK ((career_impact = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text]))),
    CONSTRAINT persona_industry_relationships_geographic_scope_check CHECK ((geographic_scope = ANY (ARRAY['global'::text, 'regional'::text, 'national'::text, 'local'::text, 'virtual'::text]))),
    CONSTRAINT persona_industry_relationships_involvement_type_check CHECK ((involvement_type = ANY (ARRAY['executive_leadership'::text, 'leadership'::text, 'speaker'::text, 'author'::text, 'contributor'::text, 'mentor'::text, 'judge'::text, 'attendee'::text, 'passive'::text]))),
    CONSTRAINT persona_industry_relationships_media_presence_check CHECK ((media_presence = ANY (ARRAY['extensive'::text, 'moderate'::text, 'limited'::text, 'none'::text]))),
    CONSTRAINT persona_industry_relationships_meeting_frequency_check CHECK ((meeting_frequency = ANY (ARRAY['weekly'::text, 'bi_weekly'::text, 'monthly'::text, 'quarterly'::text, 'annual'::text, 'ad_hoc'::text]))),
    CONSTRAINT persona_industry_relationships_membership_dues_check CHECK ((membership_dues >= (0)::numeric)),
    CONSTRAINT persona_industry_relationships_membership_level_check CHECK ((membership_level = ANY (ARRAY['board_member'::text, 'advisory_board'::text, 'committee_chair'::text, 'committee_member'::text, 'chapter_leader'::text, 'active_member'::text, 'member'::text, 'participant'::text, 'observer'::text]))),
    CONSTRAINT persona_industry_relationships_organization_type_check CHECK ((organization_type = ANY (ARRAY['professional_association'::text, 'industry_forum'::text, 'trade_association'::text, 'standards_body'::text, 'community_of_practice'::text, 'academic_institution'::text, 'research_consortium'::text, 'think_tank'::text, 'advocacy_group'::text, 'other'::text]))),
    CONSTRAINT persona_industry_relationships_organizational_benefit_check CHECK ((organizational_benefit = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text]))),
    CONSTRAINT persona_industry_relationships_publication_frequency_check CHECK ((publication_frequency = ANY (ARRAY['frequent'::text, 'regular'::text, 'occasional'::text, 'rare'::text, 'never'::text]))),
    CONSTRAINT persona_industry_relationships_speaking_frequency_check CHECK ((speaking_frequency = ANY (ARRAY['frequent'::text, 'regular'::text, 'occasional'::text, 'rare'::text, 'never'::text]))),
    CONSTRAINT persona_industry_relationships_strategic_value_check CHECK ((strategic_value = ANY (ARRAY['critical'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text]))),
    CONSTRAINT persona_industry_relationships_time_commitment_hours_check CHECK ((time_commitment_hours >= 0)),
    CONSTRAINT persona_industry_relationships_value_categories_check CHECK ((value_categories <@ ARRAY['networking'::text, 'knowledge'::text, 'influence'::text, 'visibility'::text, 'recruiting'::text, 'business_development'::text, 'thought_leadership'::text, 'innovation'::text, 'advocacy'::text])),
    CONSTRAINT persona_industry_relationships_visibility_level_check CHECK ((visibility_level = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text]))),
    CONSTRAINT persona_industry_relationships_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_industry_relationships_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_industry_relationships_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_industry_relationships_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_industry_relationships_created_by ON persona_industry_relationships (created_by);
CREATE INDEX idx_persona_industry_relationships_persona_id ON persona_industry_relationships (persona_id);
CREATE INDEX idx_persona_industry_relationships_tenant_id ON persona_industry_relationships (tenant_id);
CREATE INDEX idx_persona_industry_relationships_updated_by ON persona_industry_relationships (updated_by);

CREATE TABLE persona_industry_reports (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    report_title text NOT NULL,
    report_publisher text NOT NULL,
    report_type text NOT NULL,
    publication_year integer NOT NULL,
    publication_month integer,
    report_edition text,
    industry_focus text NOT NULL,
    sub_industry text[],
    market_segment text[],
    geographic_coverage text,
    geographic_regions text[],
    market_size_estimate numeric(18,2),
    market_size_currency text DEFAULT 'USD'::text,
    growth_rate numeric(6,4),
    cagr numeric(6,4),
    forecast_period text,
    key_insights text[] NOT NULL,
    trends_identified text[],
    recommendations text[],
    vendor_landscape_summary text,
    competitive_forces_summary text,
    data_quality_rating text,
    methodology_description text,
    data_sources text[],
    analyst_credentials text,
    relevance_score integer NOT NULL,
    supports_decisions text[],
    informs_strategy text[],
    cost_to_access numeric(10,2),
    access_type text,
    access_url text,
    recency_score integer,
    update_frequency text,
    next_update_expected date,
    reviewed_by text,
    review_date date,
    review_notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_industry_reports_pkey PRIMARY KEY (id),
    CONSTRAINT persona_industry_reports_access_type_check CHECK ((access_type = ANY (ARRAY['purchased'::text, 'subscription'::text, 'client_access'::text, 'public_summary'::text, 'complimentary'::text]))),
    CONSTRAINT persona_industry_reports_cost_to_access_check CHECK ((cost_to_access >= (0)::numeric)),
    CONSTRAINT persona_industry_reports_data_quality_rating_check CHECK ((data_quality_rating = ANY (ARRAY['excellent'::text, 'good'::text, 'fair'::text, 'poor'::text, 'unknown'::text]))),
    CONSTRAINT persona_industry_reports_growth_rate_check CHECK (((growth_rate >= ('-1'::integer)::numeric) AND (growth_rate <= (10)::numeric))),
    CONSTRAINT persona_industry_reports_market_size_estimate_check CHECK ((market_size_estimate >= (0)::numeric)),
    CONSTRAINT persona_industry_reports_publication_month_check CHECK (((publication_month >= 1) AND (publication_month <= 12))),
    CONSTRAINT persona_industry_reports_publication_year_check CHECK (((publication_year >= 1990) AND (publication_year <= 2100))),
    CONSTRAINT persona_industry_reports_recency_score_check CHECK (((recency_score >= 1) AND (recency_score <= 10))),
    CONSTRAINT persona_industry_reports_relevance_score_check CHECK (((relevance_score >= 1) AND (relevance_score <= 10))),
    CONSTRAINT persona_industry_reports_report_type_check CHECK ((report_type = ANY (ARRAY['market_analysis'::text, 'competitive_analysis'::text, 'trend_report'::text, 'forecast'::text, 'benchmark'::text, 'best_practices'::text, 'maturity_model'::text, 'buyer_guide'::text]))),
    CONSTRAINT persona_industry_reports_update_frequency_check CHECK ((update_frequency = ANY (ARRAY['annual'::text, 'semi_annual'::text, 'quarterly'::text, 'monthly'::text, 'one_time'::text]))),
    CONSTRAINT persona_industry_reports_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_industry_reports_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_industry_reports_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_industry_reports_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_industry_reports_created_by ON persona_industry_reports (created_by);
CREATE INDEX idx_persona_industry_reports_persona_id ON persona_industry_reports (persona_id);
CREATE INDEX idx_persona_industry_reports_tenant_id ON persona_industry_reports (tenant_id);
CREATE INDEX idx_persona_industry_reports_updated_by ON persona_industry_reports (updated_by);

CREATE TABLE persona_influencers_followed (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    influencer_name text NOT NULL,
    influencer_type text,
    platform text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_influencers_followed_pkey PRIMARY KEY (id),
    CONSTRAINT persona_influencers_followed_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_influencers_followed_persona_id ON persona_influencers_followed (persona_id);

CREATE TABLE persona_information_sources (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    source_type text,
    source_name text NOT NULL,
    trust_level text,
    usage_frequency text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_information_sources_pkey PRIMARY KEY (id),
    CONSTRAINT persona_information_sources_source_type_check CHECK ((source_type = ANY (ARRAY['publication'::text, 'conference'::text, 'network'::text, 'analyst'::text, 'vendor'::text, 'social_media'::text, 'podcast'::text, 'newsletter'::text]))),
    CONSTRAINT persona_information_sources_trust_level_check CHECK ((trust_level = ANY (ARRAY['highly_trusted'::text, 'trusted'::text, 'somewhat_trusted'::text, 'not_trusted'::text]))),
    CONSTRAINT persona_information_sources_usage_frequency_check CHECK ((usage_frequency = ANY (ARRAY['daily'::text, 'weekly'::text, 'monthly'::text, 'quarterly'::text, 'as_needed'::text]))),
    CONSTRAINT persona_information_sources_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_information_sources_persona_id ON persona_information_sources (persona_id);

CREATE TABLE persona_internal_networks (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    network_name text NOT NULL,
    network_type text NOT NULL,
    network_size integer,
    role_in_network text,
    influence_in_network text,
    network_value text,
    strategic_importance text,
    time_investment_hours integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_internal_networks_pkey PRIMARY KEY (id),
    CONSTRAINT persona_internal_networks_influence_in_network_check CHECK ((influence_in_network = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text]))),
    CONSTRAINT persona_internal_networks_network_size_check CHECK ((network_size >= 0)),
    CONSTRAINT persona_internal_networks_network_type_check CHECK ((network_type = ANY (ARRAY['formal'::text, 'informal'::text, 'project_based'::text, 'functional'::text, 'cross_functional'::text, 'leadership'::text, 'innovation'::text, 'community_of_practice'::text]))),
    CONSTRAINT persona_internal_networks_role_in_network_check CHECK ((role_in_network = ANY (ARRAY['leader'::text, 'core_member'::text, 'active_member'::text, 'occasional_participant'::text, 'observer'::text]))),
    CONSTRAINT persona_internal_networks_strategic_importance_check CHECK ((strategic_importance = ANY (ARRAY['critical'::text, 'high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_internal_networks_time_investment_hours_check CHECK ((time_investment_hours >= 0)),
    CONSTRAINT persona_internal_networks_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_internal_networks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_internal_networks_persona_id ON persona_internal_networks (persona_id);
CREATE INDEX idx_persona_internal_networks_tenant_id ON persona_internal_networks (tenant_id);

CREATE TABLE persona_internal_stakeholders (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    stakeholder_role text NOT NULL,
    stakeholder_name text,
    department text,
    relationship_type text NOT NULL,
    interaction_frequency text NOT NULL,
    relationship_quality text,
    influence_level text NOT NULL,
    collaboration_areas text[],
    decision_involvement text,
    trust_level text,
    political_alignment text,
    communication_preference text,
    communication_style text,
    key_priorities text[],
    pain_points text[],
    mutual_goals text[],
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_internal_stakeholders_pkey PRIMARY KEY (id),
    CONSTRAINT persona_internal_stakeholders_communication_preference_check CHECK ((communication_preference = ANY (ARRAY['face_to_face'::text, 'video_call'::text, 'phone'::text, 'email'::text, 'slack'::text, 'teams'::text, 'mixed'::text]))),
    CONSTRAINT persona_internal_stakeholders_decision_involvement_check CHECK ((decision_involvement = ANY (ARRAY['approver'::text, 'decision_maker'::text, 'influencer'::text, 'contributor'::text, 'informed'::text, 'none'::text]))),
    CONSTRAINT persona_internal_stakeholders_influence_level_check CHECK ((influence_level = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text]))),
    CONSTRAINT persona_internal_stakeholders_interaction_frequency_check CHECK ((interaction_frequency = ANY (ARRAY['daily'::text, 'weekly'::text, 'bi_weekly'::text, 'monthly'::text, 'quarterly'::text, 'ad_hoc'::text]))),
    CONSTRAINT persona_internal_stakeholders_political_alignment_check CHECK ((political_alignment = ANY (ARRAY['strong_ally'::text, 'allied'::text, 'neutral'::text, 'opposed'::text, 'adversarial'::text]))),
    CONSTRAINT persona_internal_stakeholders_relationship_quality_check CHECK ((relationship_quality = ANY (ARRAY['excellent'::text, 'good'::text, 'neutral'::text, 'strained'::text, 'poor'::text]))),
    CONSTRAINT persona_internal_stakeholders_relationship_type_check CHECK ((relationship_type = ANY (ARRAY['reports_to'::text, 'peer'::text, 'dotted_line'::text, 'advisor'::text, 'direct_report'::text, 'cross_functional'::text, 'executive'::text, 'support_function'::text, 'informal_influencer'::text]))),
    CONSTRAINT persona_internal_stakeholders_trust_level_check CHECK ((trust_level = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text]))),
    CONSTRAINT persona_internal_stakeholders_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_internal_stakeholders_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_internal_stakeholders_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_internal_stakeholders_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_internal_stakeholders_created_by ON persona_internal_stakeholders (created_by);
CREATE INDEX idx_persona_internal_stakeholders_persona_id ON persona_internal_stakeholders (persona_id);
CREATE INDEX idx_persona_internal_stakeholders_tenant_id ON persona_internal_stakeholders (tenant_id);
CREATE INDEX idx_persona_internal_stakeholders_updated_by ON persona_internal_stakeholders (updated_by);

CREATE TABLE persona_metadata (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    meta_key text NOT NULL,
    meta_value text NOT NULL,
    data_type text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_metadata_pkey PRIMARY KEY (id),
    CONSTRAINT unique_persona_metadata UNIQUE (persona_id, meta_key),
    CONSTRAINT persona_metadata_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_metadata_persona_id ON persona_metadata (persona_id);

CREATE TABLE persona_month_in_life (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    month_phase text NOT NULL,
    key_deliverables text[],
    reporting_obligations text[],
    planning_activities text[],
    external_engagements integer,
    travel_days integer,
    budget_review_involvement text,
    performance_review_cycle boolean DEFAULT false,
    strategic_initiative_time integer,
    crisis_management_likelihood text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_month_in_life_pkey PRIMARY KEY (id),
    CONSTRAINT unique_persona_month_phase UNIQUE (persona_id, month_phase),
    CONSTRAINT persona_month_in_life_budget_review_involvement_check CHECK ((budget_review_involvement = ANY (ARRAY['owner'::text, 'contributor'::text, 'reviewer'::text, 'none'::text]))),
    CONSTRAINT persona_month_in_life_crisis_management_likelihood_check CHECK ((crisis_management_likelihood = ANY (ARRAY['high'::text, 'medium'::text, 'low'::text, 'none'::text]))),
    CONSTRAINT persona_month_in_life_external_engagements_check CHECK ((external_engagements >= 0)),
    CONSTRAINT persona_month_in_life_month_phase_check CHECK ((month_phase = ANY (ARRAY['beginning'::text, 'mid'::text, 'end'::text]))),
    CONSTRAINT persona_month_in_life_strategic_initiative_time_check CHECK ((strategic_initiative_time >= 0)),
    CONSTRAINT persona_month_in_life_travel_days_check CHECK (((travel_days >= 0) AND (travel_days <= 31))),
    CONSTRAINT persona_month_in_life_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_month_in_life_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_month_in_life_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_month_in_life_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_month_in_life_created_by ON persona_month_in_life (created_by);
CREATE INDEX idx_persona_month_in_life_persona_id ON persona_month_in_life (persona_id);
CREATE INDEX idx_persona_month_in_life_tenant_id ON persona_month_in_life (tenant_id);
CREATE INDEX idx_persona_month_in_life_updated_by ON persona_month_in_life (updated_by);

CREATE TABLE persona_monthly_objectives (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    objective_text text NOT NULL,
    success_metric text,
    achievement_rate numeric(3,2),
    carry_forward boolean DEFAULT false,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_monthly_objectives_pkey PRIMARY KEY (id),
    CONSTRAINT persona_monthly_objectives_achievement_rate_check CHECK (((achievement_rate >= (0)::numeric) AND (achievement_rate <= (1)::numeric))),
    CONSTRAINT persona_monthly_objectives_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_monthly_objectives_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_monthly_objectives_persona_id ON persona_monthly_objectives (persona_id);
CREATE INDEX idx_persona_monthly_objectives_tenant_id ON persona_monthly_objectives (tenant_id);

CREATE TABLE persona_monthly_stakeholders (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    stakeholder_type text NOT NULL,
    interaction_count integer,
    meeting_hours numeric(5,2),
    importance text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_monthly_stakeholders_pkey PRIMARY KEY (id),
    CONSTRAINT persona_monthly_stakeholders_importance_check CHECK ((importance = ANY (ARRAY['critical'::text, 'high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_monthly_stakeholders_interaction_count_check CHECK ((interaction_count >= 0)),
    CONSTRAINT persona_monthly_stakeholders_meeting_hours_check CHECK ((meeting_hours >= (0)::numeric)),
    CONSTRAINT persona_monthly_stakeholders_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_monthly_stakeholders_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_monthly_stakeholders_persona_id ON persona_monthly_stakeholders (persona_id);
CREATE INDEX idx_persona_monthly_stakeholders_tenant_id ON persona_monthly_stakeholders (tenant_id);

CREATE TABLE persona_motivations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    motivation_category text,
    motivation_text text,
    importance text,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid,
    updated_at timestamp with time zone DEFAULT now(),
    sequence_order integer,
    CONSTRAINT persona_motivations_pkey PRIMARY KEY (id),
    CONSTRAINT persona_motivations_importance_check CHECK ((importance = ANY (ARRAY['critical'::text, 'high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_motivations_motivation_category_check CHECK ((motivation_category = ANY (ARRAY['professional'::text, 'personal'::text, 'organizational'::text]))),
    CONSTRAINT persona_motivations_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_motivations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_motivations_persona_id ON persona_motivations (persona_id);
CREATE INDEX idx_persona_motivations_tenant_id ON persona_motivations (tenant_id);

CREATE TABLE persona_organization_types (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    organization_type text,
    is_typical boolean DEFAULT false,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_organization_types_pkey PRIMARY KEY (id),
    CONSTRAINT persona_organization_types_persona_id_organization_type_key UNIQUE (persona_id, organization_type),
    CONSTRAINT persona_organization_types_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_organization_types_persona_id ON persona_organization_types (persona_id);

CREATE TABLE persona_pain_points (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    pain_category text,
    pain_description text,
    severity text,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid DEFAULT '00000000-0000-0000-0000-000000000000'::uuid NOT NULL,
    sequence_order integer,
    updated_at timestamp with time zone DEFAULT now(),
    pain_point_text text,
    CONSTRAINT persona_pain_points_pkey PRIMARY KEY (id),
    CONSTRAINT persona_pain_points_pain_category_check CHECK ((pain_category = ANY (ARRAY['operational'::text, 'strategic'::text, 'technology'::text, 'interpersonal'::text]))),
    CONSTRAINT persona_pain_points_severity_check CHECK ((severity = ANY (ARRAY['critical'::text, 'high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_pain_points_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_pain_points_persona_id ON persona_pain_points (persona_id);

CREATE TABLE persona_personality_traits (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    trait_name text,
    trait_description text,
    strength text,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid,
    updated_at timestamp with time zone DEFAULT now(),
    sequence_order integer,
    CONSTRAINT persona_personality_traits_pkey PRIMARY KEY (id),
    CONSTRAINT persona_personality_traits_strength_check CHECK ((strength = ANY (ARRAY['dominant'::text, 'strong'::text, 'moderate'::text, 'mild'::text]))),
    CONSTRAINT persona_personality_traits_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_personality_traits_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_personality_traits_persona_id ON persona_personality_traits (persona_id);
CREATE INDEX idx_persona_personality_traits_tenant_id ON persona_personality_traits (tenant_id);

CREATE TABLE persona_public_research (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    research_title text NOT NULL,
    research_type text NOT NULL,
    publication_source text NOT NULL,
    publication_date date,
    publication_year integer,
    authors text[],
    sample_size integer,
    methodology text,
    methodology_description text,
    geographic_scope text,
    geographic_regions text[],
    industry_focus text,
    demographic_coverage text[],
    confidence_level numeric(4,3),
    margin_of_error numeric(5,4),
    statistical_significance numeric(5,4),
    p_value numeric(6,5),
    key_findings text[] NOT NULL,
    qualitative_insights text[],
    relevance_score integer NOT NULL,
    quality_rating text,
    peer_reviewed boolean DEFAULT false,
    citation_count integer DEFAULT 0,
    validates_attributes text[],
    challenges_assumptions text[],
    supports_claims text[],
    url text,
    doi text,
    isbn text,
    access_type text,
    cost_to_access numeric(10,2),
    reviewed_by text,
    review_date date,
    review_notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_public_research_pkey PRIMARY KEY (id),
    CONSTRAINT persona_public_research_access_type_check CHECK ((access_type = ANY (ARRAY['open_access'::text, 'subscription'::text, 'purchased'::text, 'institutional'::text, 'proprietary'::text]))),
    CONSTRAINT persona_public_research_citation_count_check CHECK ((citation_count >= 0)),
    CONSTRAINT persona_public_research_confidence_level_check CHECK (((confidence_level >= (0)::numeric) AND (confidence_level <= (1)::numeric))),
    CONSTRAINT persona_public_research_cost_to_access_check CHECK ((cost_to_access >= (0)::numeric)),
    CONSTRAINT persona_public_research_margin_of_error_check CHECK (((margin_of_error >= (0)::numeric) AND (margin_of_error <= (1)::numeric))),
    CONSTRAINT persona_public_research_methodology_check CHECK ((methodology = ANY (ARRAY['survey'::text, 'interview'::text, 'observation'::text, 'experiment'::text, 'analysis'::text, 'mixed_methods'::text, 'longitudinal'::text, 'cross_sectional'::text, 'meta_analysis'::text]))),
    CONSTRAINT persona_public_research_quality_rating_check CHECK ((quality_rating = ANY (ARRAY['excellent'::text, 'good'::text, 'fair'::text, 'poor'::text, 'questionable'::text]))),
    CONSTRAINT persona_public_research_relevance_score_check CHECK (((relevance_score >= 1) AND (relevance_score <= 10))),
    CONSTRAINT persona_public_research_research_type_check CHECK ((research_type = ANY (ARRAY['academic'::text, 'market'::text, 'government'::text, 'industry'::text, 'proprietary'::text, 'meta_analysis'::text]))),
    CONSTRAINT persona_public_research_sample_size_check CHECK ((sample_size >= 0)),
    CONSTRAINT persona_public_research_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_public_research_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_public_research_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_public_research_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_public_research_created_by ON persona_public_research (created_by);
CREATE INDEX idx_persona_public_research_persona_id ON persona_public_research (persona_id);
CREATE INDEX idx_persona_public_research_tenant_id ON persona_public_research (tenant_id);
CREATE INDEX idx_persona_public_research_updated_by ON persona_public_research (updated_by);

CREATE TABLE persona_purchase_barriers (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    barrier_type text,
    barrier_description text NOT NULL,
    severity text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_purchase_barriers_pkey PRIMARY KEY (id),
    CONSTRAINT persona_purchase_barriers_barrier_type_check CHECK ((barrier_type = ANY (ARRAY['budget'::text, 'political'::text, 'technical'::text, 'organizational'::text, 'timing'::text]))),
    CONSTRAINT persona_purchase_barriers_severity_check CHECK ((severity = ANY (ARRAY['blocking'::text, 'significant'::text, 'moderate'::text, 'minor'::text]))),
    CONSTRAINT persona_purchase_barriers_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_purchase_barriers_persona_id ON persona_purchase_barriers (persona_id);

CREATE TABLE persona_purchase_influencers (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    influencer_type text,
    influencer_name text,
    influence_strength text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_purchase_influencers_pkey PRIMARY KEY (id),
    CONSTRAINT persona_purchase_influencers_influence_strength_check CHECK ((influence_strength = ANY (ARRAY['very_strong'::text, 'strong'::text, 'moderate'::text, 'weak'::text]))),
    CONSTRAINT persona_purchase_influencers_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_purchase_influencers_persona_id ON persona_purchase_influencers (persona_id);

CREATE TABLE persona_quotes (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    quote_text text,
    context text,
    emotion text,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid DEFAULT '00000000-0000-0000-0000-000000000000'::uuid NOT NULL,
    sequence_order integer,
    updated_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_quotes_pkey PRIMARY KEY (id),
    CONSTRAINT persona_quotes_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_quotes_persona_id ON persona_quotes (persona_id);

CREATE TABLE persona_regulatory_stakeholders (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    regulatory_body text NOT NULL,
    regulatory_region text,
    regulatory_scope text,
    interaction_type text NOT NULL,
    interaction_frequency text,
    compliance_area text NOT NULL,
    regulations_governed text[],
    standards_applicable text[],
    relationship_criticality text NOT NULL,
    compliance_risk text,
    violation_impact text,
    documentation_burden text,
    audit_frequency text,
    last_audit_date date,
    next_audit_date date,
    audit_findings_count integer DEFAULT 0,
    relationship_quality text,
    responsiveness text,
    compliance_status text,
    open_issues_count integer DEFAULT 0,
    remediation_in_progress boolean DEFAULT false,
    time_investment_hours integer,
    dedicated_resources integer,
    annual_compliance_cost numeric(15,2),
    key_contacts text[],
    escalation_procedures text,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_regulatory_stakeholders_pkey PRIMARY KEY (id),
    CONSTRAINT persona_regulatory_stakeholders_annual_compliance_cost_check CHECK ((annual_compliance_cost >= (0)::numeric)),
    CONSTRAINT persona_regulatory_stakeholders_audit_findings_count_check CHECK ((audit_findings_count >= 0)),
    CONSTRAINT persona_regulatory_stakeholders_audit_frequency_check CHECK ((audit_frequency = ANY (ARRAY['continuous'::text, 'quarterly'::text, 'semi_annual'::text, 'annual'::text, 'bi_annual'::text, 'ad_hoc'::text]))),
    CONSTRAINT persona_regulatory_stakeholders_compliance_area_check CHECK ((compliance_area = ANY (ARRAY['quality'::text, 'safety'::text, 'financial'::text, 'clinical'::text, 'data_privacy'::text, 'environmental'::text, 'labor'::text, 'industry_specific'::text, 'multi_domain'::text]))),
    CONSTRAINT persona_regulatory_stakeholders_compliance_risk_check CHECK ((compliance_risk = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text]))),
    CONSTRAINT persona_regulatory_stakeholders_compliance_status_check CHECK ((compliance_status = ANY (ARRAY['fully_compliant'::text, 'compliant'::text, 'minor_issues'::text, 'major_issues'::text, 'non_compliant'::text]))),
    CONSTRAINT persona_regulatory_stakeholders_dedicated_resources_check CHECK ((dedicated_resources >= 0)),
    CONSTRAINT persona_regulatory_stakeholders_documentation_burden_check CHECK ((documentation_burden = ANY (ARRAY['very_heavy'::text, 'heavy'::text, 'moderate'::text, 'light'::text, 'minimal'::text]))),
    CONSTRAINT persona_regulatory_stakeholders_interaction_frequency_check CHECK ((interaction_frequency = ANY (ARRAY['continuous'::text, 'monthly'::text, 'quarterly'::text, 'semi_annual'::text, 'annual'::text, 'bi_annual'::text, 'event_driven'::text, 'ad_hoc'::text]))),
    CONSTRAINT persona_regulatory_stakeholders_interaction_type_check CHECK ((interaction_type = ANY (ARRAY['submission'::text, 'audit'::text, 'inspection'::text, 'consultation'::text, 'reporting'::text, 'certification'::text, 'licensing'::text, 'compliance_review'::text, 'investigation'::text]))),
    CONSTRAINT persona_regulatory_stakeholders_open_issues_count_check CHECK ((open_issues_count >= 0)),
    CONSTRAINT persona_regulatory_stakeholders_relationship_criticality_check CHECK ((relationship_criticality = ANY (ARRAY['mission_critical'::text, 'critical'::text, 'high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_regulatory_stakeholders_relationship_quality_check CHECK ((relationship_quality = ANY (ARRAY['highly_collaborative'::text, 'collaborative'::text, 'neutral'::text, 'formal'::text, 'adversarial'::text]))),
    CONSTRAINT persona_regulatory_stakeholders_responsiveness_check CHECK ((responsiveness = ANY (ARRAY['excellent'::text, 'good'::text, 'fair'::text, 'poor'::text]))),
    CONSTRAINT persona_regulatory_stakeholders_time_investment_hours_check CHECK ((time_investment_hours >= 0)),
    CONSTRAINT persona_regulatory_stakeholders_violation_impact_check CHECK ((violation_impact = ANY (ARRAY['catastrophic'::text, 'severe'::text, 'major'::text, 'moderate'::text, 'minor'::text]))),
    CONSTRAINT persona_regulatory_stakeholders_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_regulatory_stakeholders_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_regulatory_stakeholders_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_regulatory_stakeholders_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_regulatory_stakeholders_created_by ON persona_regulatory_stakeholders (created_by);
CREATE INDEX idx_persona_regulatory_stakeholders_persona_id ON persona_regulatory_stakeholders (persona_id);
CREATE INDEX idx_persona_regulatory_stakeholders_tenant_id ON persona_regulatory_stakeholders (tenant_id);
CREATE INDEX idx_persona_regulatory_stakeholders_updated_by ON persona_regulatory_stakeholders (updated_by);

CREATE TABLE persona_research_quantitative_results (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    research_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    metric_name text NOT NULL,
    metric_category text,
    numeric_value numeric(20,6),
    text_value text,
    unit_of_measure text,
    sample_size integer,
    confidence_interval text,
    standard_deviation numeric(20,6),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_research_quantitative_results_pkey PRIMARY KEY (id),
    CONSTRAINT persona_research_quantitative_results_research_id_fkey FOREIGN KEY (research_id) REFERENCES persona_public_research(id) ON DELETE CASCADE,
    CONSTRAINT persona_research_quantitative_results_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_research_quantitative_results_research_id ON persona_research_quantitative_results (research_id);
CREATE INDEX idx_persona_research_quantitative_results_tenant_id ON persona_research_quantitative_results (tenant_id);

CREATE TABLE persona_responsibilities (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    responsibility_type text,
    responsibility_text text,
    time_allocation_percent integer,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid DEFAULT '00000000-0000-0000-0000-000000000000'::uuid NOT NULL,
    sequence_order integer,
    updated_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_responsibilities_pkey PRIMARY KEY (id),
    CONSTRAINT persona_responsibilities_responsibility_type_check CHECK ((responsibility_type = ANY (ARRAY['key'::text, 'daily'::text, 'weekly'::text, 'periodic'::text]))),
    CONSTRAINT persona_responsibilities_time_allocation_percent_check CHECK (((time_allocation_percent >= 0) AND (time_allocation_percent <= 100))),
    CONSTRAINT persona_responsibilities_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_responsibilities_persona_id ON persona_responsibilities (persona_id);

CREATE TABLE persona_social_media (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    platform_name text NOT NULL,
    activity_level text,
    primary_usage text,
    post_frequency text,
    follower_count_range text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_social_media_pkey PRIMARY KEY (id),
    CONSTRAINT persona_social_media_activity_level_check CHECK ((activity_level = ANY (ARRAY['very_active'::text, 'active'::text, 'moderate'::text, 'low'::text, 'inactive'::text]))),
    CONSTRAINT persona_social_media_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_social_media_persona_id ON persona_social_media (persona_id);

CREATE TABLE persona_stakeholder_influence_map (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    stakeholder_name text NOT NULL,
    stakeholder_role text NOT NULL,
    stakeholder_type text NOT NULL,
    decision_influence text,
    budget_influence text,
    resource_influence text,
    strategic_influence text,
    political_influence text,
    overall_influence_score integer,
    influence_trend text,
    power_base text[],
    leverage_points text[],
    engagement_priority text,
    engagement_approach text,
    communication_frequency text,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_stakeholder_influence_map_pkey PRIMARY KEY (id),
    CONSTRAINT persona_stakeholder_influence_map_budget_influence_check CHECK ((budget_influence = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text, 'none'::text]))),
    CONSTRAINT persona_stakeholder_influence_map_communication_frequency_check CHECK ((communication_frequency = ANY (ARRAY['daily'::text, 'weekly'::text, 'bi_weekly'::text, 'monthly'::text, 'quarterly'::text, 'as_needed'::text]))),
    CONSTRAINT persona_stakeholder_influence_map_decision_influence_check CHECK ((decision_influence = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text, 'none'::text]))),
    CONSTRAINT persona_stakeholder_influence_map_engagement_priority_check CHECK ((engagement_priority = ANY (ARRAY['critical'::text, 'high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_stakeholder_influence_map_influence_trend_check CHECK ((influence_trend = ANY (ARRAY['increasing'::text, 'stable'::text, 'decreasing'::text]))),
    CONSTRAINT persona_stakeholder_influence_map_overall_influence_score_check CHECK (((overall_influence_score >= 1) AND (overall_influence_score <= 10))),
    CONSTRAINT persona_stakeholder_influence_map_political_influence_check CHECK ((political_influence = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text, 'none'::text]))),
    CONSTRAINT persona_stakeholder_influence_map_power_base_check CHECK ((power_base <@ ARRAY['formal_authority'::text, 'expertise'::text, 'information'::text, 'relationships'::text, 'resources'::text, 'reputation'::text, 'political'::text])),
    CONSTRAINT persona_stakeholder_influence_map_resource_influence_check CHECK ((resource_influence = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text, 'none'::text]))),
    CONSTRAINT persona_stakeholder_influence_map_stakeholder_type_check CHECK ((stakeholder_type = ANY (ARRAY['internal'::text, 'external'::text, 'customer'::text, 'vendor'::text, 'partner'::text, 'regulator'::text, 'community'::text]))),
    CONSTRAINT persona_stakeholder_influence_map_strategic_influence_check CHECK ((strategic_influence = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text, 'none'::text]))),
    CONSTRAINT persona_stakeholder_influence_map_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_stakeholder_influence_map_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_stakeholder_influence_map_persona_id ON persona_stakeholder_influence_map (persona_id);
CREATE INDEX idx_persona_stakeholder_influence_map_tenant_id ON persona_stakeholder_influence_map (tenant_id);

CREATE TABLE persona_stakeholder_journey (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    stakeholder_name text NOT NULL,
    stakeholder_type text NOT NULL,
    journey_stage text NOT NULL,
    stage_entry_date date NOT NULL,
    expected_progression_date date,
    milestones_achieved text[],
    pending_milestones text[],
    milestone_count integer DEFAULT 0,
    touchpoints_count integer DEFAULT 0,
    last_interaction_date date,
    interaction_quality text,
    sentiment text,
    value_delivered text[],
    value_received text[],
    mutual_success_indicators text[],
    journey_health text,
    risk_factors text[],
    opportunities text[],
    next_actions text[],
    owner text,
    follow_up_date date,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_stakeholder_journey_pkey PRIMARY KEY (id),
    CONSTRAINT persona_stakeholder_journey_interaction_quality_check CHECK ((interaction_quality = ANY (ARRAY['excellent'::text, 'good'::text, 'fair'::text, 'poor'::text]))),
    CONSTRAINT persona_stakeholder_journey_journey_health_check CHECK ((journey_health = ANY (ARRAY['excellent'::text, 'good'::text, 'fair'::text, 'at_risk'::text, 'critical'::text]))),
    CONSTRAINT persona_stakeholder_journey_journey_stage_check CHECK ((journey_stage = ANY (ARRAY['awareness'::text, 'engagement'::text, 'relationship_building'::text, 'partnership'::text, 'advocacy'::text, 'at_risk'::text, 'recovery'::text, 'exit'::text]))),
    CONSTRAINT persona_stakeholder_journey_milestone_count_check CHECK ((milestone_count >= 0)),
    CONSTRAINT persona_stakeholder_journey_sentiment_check CHECK ((sentiment = ANY (ARRAY['very_positive'::text, 'positive'::text, 'neutral'::text, 'negative'::text, 'very_negative'::text]))),
    CONSTRAINT persona_stakeholder_journey_touchpoints_count_check CHECK ((touchpoints_count >= 0)),
    CONSTRAINT persona_stakeholder_journey_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_stakeholder_journey_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_stakeholder_journey_persona_id ON persona_stakeholder_journey (persona_id);
CREATE INDEX idx_persona_stakeholder_journey_tenant_id ON persona_stakeholder_journey (tenant_id);

CREATE TABLE persona_stakeholder_value_exchange (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    stakeholder_name text NOT NULL,
    stakeholder_type text NOT NULL,
    value_provided_type text[],
    value_provided_description text,
    value_provided_quantified numeric(15,2),
    value_provided_currency text DEFAULT 'USD'::text,
    value_received_type text[],
    value_received_description text,
    value_received_quantified numeric(15,2),
    value_received_currency text DEFAULT 'USD'::text,
    exchange_balance text,
    balance_assessment text,
    time_period text,
    period_start_date date,
    period_end_date date,
    strategic_alignment text,
    sustainability text,
    optimization_opportunities text[],
    expected_value_trend text,
    projected_future_value numeric(15,2),
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_stakeholder_value_exchange_pkey PRIMARY KEY (id),
    CONSTRAINT persona_stakeholder_value_exchange_exchange_balance_check CHECK ((exchange_balance = ANY (ARRAY['highly_favorable'::text, 'favorable'::text, 'balanced'::text, 'unfavorable'::text, 'highly_unfavorable'::text]))),
    CONSTRAINT persona_stakeholder_value_exchange_expected_value_trend_check CHECK ((expected_value_trend = ANY (ARRAY['significantly_increasing'::text, 'increasing'::text, 'stable'::text, 'decreasing'::text, 'significantly_decreasing'::text]))),
    CONSTRAINT persona_stakeholder_value_exchange_strategic_alignment_check CHECK ((strategic_alignment = ANY (ARRAY['highly_aligned'::text, 'aligned'::text, 'neutral'::text, 'misaligned'::text, 'conflicting'::text]))),
    CONSTRAINT persona_stakeholder_value_exchange_sustainability_check CHECK ((sustainability = ANY (ARRAY['very_sustainable'::text, 'sustainable'::text, 'uncertain'::text, 'at_risk'::text, 'unsustainable'::text]))),
    CONSTRAINT persona_stakeholder_value_exchange_time_period_check CHECK ((time_period = ANY (ARRAY['monthly'::text, 'quarterly'::text, 'annual'::text, 'lifetime'::text, 'custom'::text]))),
    CONSTRAINT persona_stakeholder_value_exchange_value_provided_type_check CHECK ((value_provided_type <@ ARRAY['revenue'::text, 'referrals'::text, 'expertise'::text, 'access'::text, 'information'::text, 'resources'::text, 'support'::text, 'advocacy'::text, 'innovation'::text, 'efficiency'::text])),
    CONSTRAINT persona_stakeholder_value_exchange_value_received_type_check CHECK ((value_received_type <@ ARRAY['revenue'::text, 'referrals'::text, 'expertise'::text, 'access'::text, 'information'::text, 'resources'::text, 'support'::text, 'advocacy'::text, 'innovation'::text, 'efficiency'::text])),
    CONSTRAINT persona_stakeholder_value_exchange_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_stakeholder_value_exchange_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_stakeholder_value_exchange_persona_id ON persona_stakeholder_value_exchange (persona_id);
CREATE INDEX idx_persona_stakeholder_value_exchange_tenant_id ON persona_stakeholder_value_exchange (tenant_id);

CREATE TABLE persona_supporting_statistics (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    statistic_name text NOT NULL,
    statistic_category text,
    statistic_value text NOT NULL,
    numeric_value numeric(20,6),
    unit_of_measure text,
    value_type text,
    data_source text NOT NULL,
    source_organization text,
    collection_method text,
    sample_size integer,
    population_size integer,
    sampling_method text,
    confidence_interval text,
    confidence_level numeric(4,3),
    margin_of_error numeric(6,5),
    standard_deviation numeric(20,6),
    statistical_significance numeric(6,5),
    p_value numeric(6,5),
    collection_date date,
    collection_year integer,
    time_period text,
    time_period_start date,
    time_period_end date,
    geographic_scope text,
    geographic_regions text[],
    demographic_filters text[],
    industry_filters text[],
    role_filters text[],
    company_size_filters text[],
    other_filters_description text,
    trend_direction text,
    year_over_year_change numeric(8,4),
    context_description text,
    interpretation text,
    implications_for_persona text[],
    relevance_score integer NOT NULL,
    data_quality_score integer,
    recency_score integer,
    benchmark_value text,
    comparison_to_benchmark text,
    peer_comparison_summary text,
    source_url text,
    source_page_number integer,
    access_type text,
    verified boolean DEFAULT false,
    verified_by text,
    verification_date date,
    reviewed_by text,
    review_date date,
    review_notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_supporting_statistics_pkey PRIMARY KEY (id),
    CONSTRAINT persona_supporting_statistics_access_type_check CHECK ((access_type = ANY (ARRAY['public'::text, 'registration_required'::text, 'subscription'::text, 'purchased'::text, 'proprietary'::text]))),
    CONSTRAINT persona_supporting_statistics_collection_method_check CHECK ((collection_method = ANY (ARRAY['survey'::text, 'interview'::text, 'observation'::text, 'transaction_data'::text, 'sensor_data'::text, 'administrative_records'::text, 'experiment'::text, 'aggregation'::text, 'modeling'::text]))),
    CONSTRAINT persona_supporting_statistics_confidence_level_check CHECK (((confidence_level >= (0)::numeric) AND (confidence_level <= (1)::numeric))),
    CONSTRAINT persona_supporting_statistics_data_quality_score_check CHECK (((data_quality_score >= 1) AND (data_quality_score <= 10))),
    CONSTRAINT persona_supporting_statistics_margin_of_error_check CHECK (((margin_of_error >= (0)::numeric) AND (margin_of_error <= (1)::numeric))),
    CONSTRAINT persona_supporting_statistics_population_size_check CHECK ((population_size >= 0)),
    CONSTRAINT persona_supporting_statistics_recency_score_check CHECK (((recency_score >= 1) AND (recency_score <= 10))),
    CONSTRAINT persona_supporting_statistics_relevance_score_check CHECK (((relevance_score >= 1) AND (relevance_score <= 10))),
    CONSTRAINT persona_supporting_statistics_sample_size_check CHECK ((sample_size >= 0)),
    CONSTRAINT persona_supporting_statistics_statistic_category_check CHECK ((statistic_category = ANY (ARRAY['behavioral'::text, 'demographic'::text, 'financial'::text, 'operational'::text, 'performance'::text, 'market'::text, 'technology'::text, 'organizational'::text, 'industry'::text, 'trend'::text]))),
    CONSTRAINT persona_supporting_statistics_trend_direction_check CHECK ((trend_direction = ANY (ARRAY['significantly_increasing'::text, 'increasing'::text, 'stable'::text, 'decreasing'::text, 'significantly_decreasing'::text, 'volatile'::text]))),
    CONSTRAINT persona_supporting_statistics_value_type_check CHECK ((value_type = ANY (ARRAY['percentage'::text, 'currency'::text, 'count'::text, 'ratio'::text, 'rate'::text, 'score'::text, 'duration'::text, 'frequency'::text, 'size'::text, 'other'::text]))),
    CONSTRAINT persona_supporting_statistics_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_supporting_statistics_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_supporting_statistics_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_supporting_statistics_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_supporting_statistics_created_by ON persona_supporting_statistics (created_by);
CREATE INDEX idx_persona_supporting_statistics_persona_id ON persona_supporting_statistics (persona_id);
CREATE INDEX idx_persona_supporting_statistics_tenant_id ON persona_supporting_statistics (tenant_id);
CREATE INDEX idx_persona_supporting_statistics_updated_by ON persona_supporting_statistics (updated_by);

CREATE TABLE persona_statistic_history (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    statistic_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    year integer NOT NULL,
    quarter integer,
    month integer,
    value numeric(20,6) NOT NULL,
    text_value text,
    unit_of_measure text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_statistic_history_pkey PRIMARY KEY (id),
    CONSTRAINT persona_statistic_history_month_check CHECK (((month >= 1) AND (month <= 12))),
    CONSTRAINT persona_statistic_history_quarter_check CHECK (((quarter >= 1) AND (quarter <= 4))),
    CONSTRAINT persona_statistic_history_statistic_id_fkey FOREIGN KEY (statistic_id) REFERENCES persona_supporting_statistics(id) ON DELETE CASCADE,
    CONSTRAINT persona_statistic_history_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_statistic_history_statistic_id ON persona_statistic_history (statistic_id);
CREATE INDEX idx_persona_statistic_history_tenant_id ON persona_statistic_history (tenant_id);

CREATE TABLE persona_success_metrics (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    metric_name text,
    metric_description text,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid,
    updated_at timestamp with time zone DEFAULT now(),
    sequence_order integer,
    CONSTRAINT persona_success_metrics_pkey PRIMARY KEY (id),
    CONSTRAINT persona_success_metrics_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_success_metrics_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_success_metrics_persona_id ON persona_success_metrics (persona_id);
CREATE INDEX idx_persona_success_metrics_tenant_id ON persona_success_metrics (tenant_id);

CREATE TABLE persona_tags (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tag_name text NOT NULL,
    tag_category text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_tags_pkey PRIMARY KEY (id),
    CONSTRAINT unique_persona_tag UNIQUE (persona_id, tag_name),
    CONSTRAINT persona_tags_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_tags_persona_id ON persona_tags (persona_id);

CREATE TABLE persona_tools (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tool_name text,
    tool_category text,
    usage_frequency text,
    proficiency_level text,
    satisfaction_level text,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid DEFAULT '00000000-0000-0000-0000-000000000000'::uuid NOT NULL,
    updated_at timestamp with time zone DEFAULT now(),
    sequence_order integer,
    CONSTRAINT persona_tools_pkey PRIMARY KEY (id),
    CONSTRAINT persona_tools_proficiency_level_check CHECK ((proficiency_level = ANY (ARRAY['expert'::text, 'proficient'::text, 'competent'::text, 'beginner'::text]))),
    CONSTRAINT persona_tools_satisfaction_level_check CHECK ((satisfaction_level = ANY (ARRAY['very_satisfied'::text, 'satisfied'::text, 'neutral'::text, 'dissatisfied'::text, 'very_dissatisfied'::text]))),
    CONSTRAINT persona_tools_usage_frequency_check CHECK ((usage_frequency = ANY (ARRAY['daily'::text, 'weekly'::text, 'monthly'::text, 'occasional'::text, 'rarely'::text]))),
    CONSTRAINT persona_tools_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_tools_persona_id ON persona_tools (persona_id);

CREATE TABLE persona_touchpoints (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    touchpoint_name text NOT NULL,
    touchpoint_type text,
    importance text,
    frequency text,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_touchpoints_pkey PRIMARY KEY (id),
    CONSTRAINT persona_touchpoints_importance_check CHECK ((importance = ANY (ARRAY['critical'::text, 'high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_touchpoints_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_touchpoints_persona_id ON persona_touchpoints (persona_id);

CREATE TABLE persona_typical_day (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    time_of_day text,
    activity_description text,
    energy_level text,
    sort_order integer,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid,
    updated_at timestamp with time zone DEFAULT now(),
    sequence_order integer,
    CONSTRAINT persona_typical_day_pkey PRIMARY KEY (id),
    CONSTRAINT persona_typical_day_energy_level_check CHECK ((energy_level = ANY (ARRAY['high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_typical_day_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_typical_day_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_typical_day_persona_id ON persona_typical_day (persona_id);
CREATE INDEX idx_persona_typical_day_tenant_id ON persona_typical_day (tenant_id);

CREATE TABLE persona_typical_locations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    location_name text,
    location_type text,
    is_primary boolean DEFAULT false,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now(),
    CONSTRAINT persona_typical_locations_pkey PRIMARY KEY (id),
    CONSTRAINT persona_typical_locations_persona_id_location_name_key UNIQUE (persona_id, location_name),
    CONSTRAINT persona_typical_locations_location_type_check CHECK ((location_type = ANY (ARRAY['city'::text, 'region'::text, 'country'::text, 'hub'::text]))),
    CONSTRAINT persona_typical_locations_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_typical_locations_persona_id ON persona_typical_locations (persona_id);

CREATE TABLE persona_values (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    value_name text,
    value_description text,
    rank_order integer,
    created_at timestamp with time zone DEFAULT now(),
    tenant_id uuid,
    updated_at timestamp with time zone DEFAULT now(),
    sequence_order integer,
    CONSTRAINT persona_values_pkey PRIMARY KEY (id),
    CONSTRAINT persona_values_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_values_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_values_persona_id ON persona_values (persona_id);
CREATE INDEX idx_persona_values_tenant_id ON persona_values (tenant_id);

CREATE TABLE persona_vendor_relationships (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    vendor_name text NOT NULL,
    vendor_category text NOT NULL,
    relationship_role text NOT NULL,
    decision_authority text,
    annual_spend numeric(15,2),
    contract_type text,
    contract_start_date date,
    contract_end_date date,
    auto_renewal boolean DEFAULT false,
    satisfaction_score integer,
    relationship_health text,
    switching_likelihood text,
    strategic_importance text NOT NULL,
    negotiation_leverage text,
    alternatives_available integer,
    performance_rating integer,
    innovation_contribution text,
    responsiveness text,
    key_contacts text[],
    escalation_path text,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_vendor_relationships_pkey PRIMARY KEY (id),
    CONSTRAINT persona_vendor_relationships_alternatives_available_check CHECK ((alternatives_available >= 0)),
    CONSTRAINT persona_vendor_relationships_annual_spend_check CHECK ((annual_spend >= (0)::numeric)),
    CONSTRAINT persona_vendor_relationships_contract_type_check CHECK ((contract_type = ANY (ARRAY['subscription'::text, 'perpetual'::text, 'project'::text, 'retainer'::text, 'usage_based'::text, 'hybrid'::text, 'other'::text]))),
    CONSTRAINT persona_vendor_relationships_decision_authority_check CHECK ((decision_authority = ANY (ARRAY['full'::text, 'shared'::text, 'influence_only'::text, 'none'::text]))),
    CONSTRAINT persona_vendor_relationships_innovation_contribution_check CHECK ((innovation_contribution = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'none'::text]))),
    CONSTRAINT persona_vendor_relationships_negotiation_leverage_check CHECK ((negotiation_leverage = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'minimal'::text]))),
    CONSTRAINT persona_vendor_relationships_performance_rating_check CHECK (((performance_rating >= 1) AND (performance_rating <= 10))),
    CONSTRAINT persona_vendor_relationships_relationship_health_check CHECK ((relationship_health = ANY (ARRAY['excellent'::text, 'good'::text, 'fair'::text, 'poor'::text, 'critical'::text]))),
    CONSTRAINT persona_vendor_relationships_relationship_role_check CHECK ((relationship_role = ANY (ARRAY['executive_sponsor'::text, 'decision_maker'::text, 'primary_influencer'::text, 'influencer'::text, 'primary_user'::text, 'user'::text, 'evaluator'::text]))),
    CONSTRAINT persona_vendor_relationships_responsiveness_check CHECK ((responsiveness = ANY (ARRAY['excellent'::text, 'good'::text, 'fair'::text, 'poor'::text]))),
    CONSTRAINT persona_vendor_relationships_satisfaction_score_check CHECK (((satisfaction_score >= 1) AND (satisfaction_score <= 10))),
    CONSTRAINT persona_vendor_relationships_strategic_importance_check CHECK ((strategic_importance = ANY (ARRAY['mission_critical'::text, 'strategic'::text, 'operational'::text, 'tactical'::text, 'commodity'::text]))),
    CONSTRAINT persona_vendor_relationships_switching_likelihood_check CHECK ((switching_likelihood = ANY (ARRAY['very_high'::text, 'high'::text, 'medium'::text, 'low'::text, 'none'::text]))),
    CONSTRAINT persona_vendor_relationships_vendor_category_check CHECK ((vendor_category = ANY (ARRAY['technology'::text, 'software'::text, 'hardware'::text, 'consulting'::text, 'services'::text, 'professional_services'::text, 'outsourcing'::text, 'infrastructure'::text, 'marketing'::text, 'supply_chain'::text, 'facilities'::text, 'other'::text]))),
    CONSTRAINT persona_vendor_relationships_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_vendor_relationships_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_vendor_relationships_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_vendor_relationships_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_vendor_relationships_created_by ON persona_vendor_relationships (created_by);
CREATE INDEX idx_persona_vendor_relationships_persona_id ON persona_vendor_relationships (persona_id);
CREATE INDEX idx_persona_vendor_relationships_tenant_id ON persona_vendor_relationships (tenant_id);
CREATE INDEX idx_persona_vendor_relationships_updated_by ON persona_vendor_relationships (updated_by);

CREATE TABLE persona_vpanes_scoring (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    value_score numeric(4,1),
    priority_score numeric(4,1),
    addressability_score numeric(4,1),
    need_score numeric(4,1),
    engagement_score numeric(4,1),
    scale_score numeric(4,1),
    dropped_column_10 integer,
    dropped_column_11 integer,
    scoring_rationale text,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now(),
    dropped_column_15 integer,
    dropped_column_16 integer,
    dropped_column_17 integer,
    dropped_column_18 integer,
    dropped_column_19 integer,
    dropped_column_20 integer,
    total_score numeric(5,1),
    priority_tier text,
    CONSTRAINT persona_vpanes_scoring_pkey PRIMARY KEY (id),
    CONSTRAINT persona_vpanes_scoring_persona_id_key UNIQUE (persona_id),
    CONSTRAINT persona_vpanes_scoring_addressability_score_check CHECK ((addressability_score >= (0)::numeric)),
    CONSTRAINT persona_vpanes_scoring_engagement_score_check CHECK ((engagement_score >= (0)::numeric)),
    CONSTRAINT persona_vpanes_scoring_need_score_check CHECK ((need_score >= (0)::numeric)),
    CONSTRAINT persona_vpanes_scoring_priority_score_check CHECK ((priority_score >= (0)::numeric)),
    CONSTRAINT persona_vpanes_scoring_scale_score_check CHECK ((scale_score >= (0)::numeric)),
    CONSTRAINT persona_vpanes_scoring_value_score_check CHECK ((value_score >= (0)::numeric)),
    CONSTRAINT persona_vpanes_scoring_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_vpanes_scoring_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
ALTER TABLE persona_vpanes_scoring DROP COLUMN dropped_column_10;
ALTER TABLE persona_vpanes_scoring DROP COLUMN dropped_column_11;
ALTER TABLE persona_vpanes_scoring DROP COLUMN dropped_column_15;
ALTER TABLE persona_vpanes_scoring DROP COLUMN dropped_column_16;
ALTER TABLE persona_vpanes_scoring DROP COLUMN dropped_column_17;
ALTER TABLE persona_vpanes_scoring DROP COLUMN dropped_column_18;
ALTER TABLE persona_vpanes_scoring DROP COLUMN dropped_column_19;
ALTER TABLE persona_vpanes_scoring DROP COLUMN dropped_column_20;
CREATE INDEX idx_persona_vpanes_scoring_persona_id ON persona_vpanes_scoring (persona_id);
CREATE INDEX idx_persona_vpanes_scoring_tenant_id ON persona_vpanes_scoring (tenant_id);

CREATE TABLE persona_week_in_life (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    day_of_week text NOT NULL,
    typical_start_time time without time zone,
    typical_end_time time without time zone,
    meeting_load text,
    focus_time_available integer,
    travel_likelihood text,
    energy_pattern text,
    typical_activities text[],
    stakeholder_interactions integer,
    decision_count integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_week_in_life_pkey PRIMARY KEY (id),
    CONSTRAINT unique_persona_day UNIQUE (persona_id, day_of_week),
    CONSTRAINT persona_week_in_life_day_of_week_check CHECK ((day_of_week = ANY (ARRAY['Monday'::text, 'Tuesday'::text, 'Wednesday'::text, 'Thursday'::text, 'Friday'::text, 'Saturday'::text, 'Sunday'::text]))),
    CONSTRAINT persona_week_in_life_decision_count_check CHECK ((decision_count >= 0)),
    CONSTRAINT persona_week_in_life_energy_pattern_check CHECK ((energy_pattern = ANY (ARRAY['high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_week_in_life_focus_time_available_check CHECK (((focus_time_available >= 0) AND (focus_time_available <= 24))),
    CONSTRAINT persona_week_in_life_meeting_load_check CHECK ((meeting_load = ANY (ARRAY['heavy'::text, 'moderate'::text, 'light'::text]))),
    CONSTRAINT persona_week_in_life_stakeholder_interactions_check CHECK ((stakeholder_interactions >= 0)),
    CONSTRAINT persona_week_in_life_travel_likelihood_check CHECK ((travel_likelihood = ANY (ARRAY['high'::text, 'medium'::text, 'low'::text, 'none'::text]))),
    CONSTRAINT persona_week_in_life_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_week_in_life_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_week_in_life_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_week_in_life_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_week_in_life_created_by ON persona_week_in_life (created_by);
CREATE INDEX idx_persona_week_in_life_persona_id ON persona_week_in_life (persona_id);
CREATE INDEX idx_persona_week_in_life_tenant_id ON persona_week_in_life (tenant_id);
CREATE INDEX idx_persona_week_in_life_updated_by ON persona_week_in_life (updated_by);

CREATE TABLE persona_weekly_meetings (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    meeting_type text NOT NULL,
    frequency text,
    duration_hours numeric(4,2),
    attendee_count integer,
    value_rating integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_weekly_meetings_pkey PRIMARY KEY (id),
    CONSTRAINT persona_weekly_meetings_attendee_count_check CHECK ((attendee_count >= 2)),
    CONSTRAINT persona_weekly_meetings_duration_hours_check CHECK (((duration_hours > (0)::numeric) AND (duration_hours <= (24)::numeric))),
    CONSTRAINT persona_weekly_meetings_frequency_check CHECK ((frequency = ANY (ARRAY['daily'::text, 'weekly'::text, 'bi_weekly'::text, 'monthly'::text]))),
    CONSTRAINT persona_weekly_meetings_value_rating_check CHECK (((value_rating >= 1) AND (value_rating <= 10))),
    CONSTRAINT persona_weekly_meetings_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_weekly_meetings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_weekly_meetings_persona_id ON persona_weekly_meetings (persona_id);
CREATE INDEX idx_persona_weekly_meetings_tenant_id ON persona_weekly_meetings (tenant_id);

CREATE TABLE persona_weekly_milestones (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    milestone_type text NOT NULL,
    milestone_description text NOT NULL,
    week_phase text,
    criticality text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT persona_weekly_milestones_pkey PRIMARY KEY (id),
    CONSTRAINT persona_weekly_milestones_criticality_check CHECK ((criticality = ANY (ARRAY['critical'::text, 'high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT persona_weekly_milestones_week_phase_check CHECK ((week_phase = ANY (ARRAY['early'::text, 'mid'::text, 'late'::text]))),
    CONSTRAINT persona_weekly_milestones_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_weekly_milestones_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX idx_persona_weekly_milestones_persona_id ON persona_weekly_milestones (persona_id);
CREATE INDEX idx_persona_weekly_milestones_tenant_id ON persona_weekly_milestones (tenant_id);

CREATE TABLE persona_year_in_life (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    persona_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    quarter text NOT NULL,
    quarter_focus text,
    annual_objectives text[],
    budget_planning_role text,
    performance_review_timing text,
    conference_attendance integer,
    professional_development_hours integer,
    vacation_pattern text,
    career_milestone_expected text,
    industry_cycle_alignment text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT persona_year_in_life_pkey PRIMARY KEY (id),
    CONSTRAINT unique_persona_quarter UNIQUE (persona_id, quarter),
    CONSTRAINT persona_year_in_life_budget_planning_role_check CHECK ((budget_planning_role = ANY (ARRAY['lead'::text, 'support'::text, 'input'::text, 'none'::text]))),
    CONSTRAINT persona_year_in_life_conference_attendance_check CHECK ((conference_attendance >= 0)),
    CONSTRAINT persona_year_in_life_industry_cycle_alignment_check CHECK ((industry_cycle_alignment = ANY (ARRAY['peak_season'::text, 'planning_season'::text, 'quiet_period'::text]))),
    CONSTRAINT persona_year_in_life_professional_development_hours_check CHECK ((professional_development_hours >= 0)),
    CONSTRAINT persona_year_in_life_quarter_check CHECK ((quarter = ANY (ARRAY['Q1'::text, 'Q2'::text, 'Q3'::text, 'Q4'::text]))),
    CONSTRAINT persona_year_in_life_quarter_focus_check CHECK ((quarter_focus = ANY (ARRAY['Planning'::text, 'Execution'::text, 'Review'::text, 'Strategy'::text]))),
    CONSTRAINT persona_year_in_life_vacation_pattern_check CHECK ((vacation_pattern = ANY (ARRAY['distributed'::text, 'concentrated'::text, 'minimal'::text]))),
    CONSTRAINT persona_year_in_life_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id),
    CONSTRAINT persona_year_in_life_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas(id) ON DELETE CASCADE,
    CONSTRAINT persona_year_in_life_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT persona_year_in_life_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id)
);
CREATE INDEX idx_persona_year_in_life_created_by ON persona_year_in_life (created_by);
CREATE INDEX idx_persona_year_in_life_persona_id ON persona_year_in_life (persona_id);
CREATE INDEX idx_persona_year_in_life_tenant_id ON persona_year_in_life (tenant_id);
CREATE INDEX idx_persona_year_in_life_updated_by ON persona_year_in_life (updated_by);
