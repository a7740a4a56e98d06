-- Extensions, native enum types and the tables outside the persona family that the persona
-- tables point to: tenants, users, org_functions, org_departments, org_roles.
-- The 26 enum types are those of the live database (vital_live_schema_v5.json `enum_types`),
-- labels in their declared order. The org tables are rebuilt from the facts in
-- shared/reference/README.md; the dump itself does not hold them.

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE TYPE agent_status AS ENUM ('development', 'testing', 'active', 'maintenance', 'deprecated', 'archived');
CREATE TYPE approval_limit_type AS ENUM ('no_authority', 'manager_approved', 'director_approved', 'vp_approved', 'c_level_approved', 'board_approved');
CREATE TYPE budget_authority_type AS ENUM ('none', 'limited', 'moderate', 'substantial', 'full');
CREATE TYPE complexity_type AS ENUM ('simple', 'moderate', 'complex', 'expert', 'low', 'medium', 'high', 'very_high');
CREATE TYPE conversation_status AS ENUM ('active', 'paused', 'completed', 'abandoned', 'archived');
CREATE TYPE data_classification AS ENUM ('public', 'internal', 'confidential', 'restricted', 'phi');
CREATE TYPE decision_type AS ENUM ('routine', 'tactical', 'strategic', 'critical');
CREATE TYPE domain_expertise AS ENUM ('medical', 'regulatory', 'legal', 'financial', 'business', 'technical', 'commercial', 'market_access', 'clinical', 'manufacturing', 'quality', 'research', 'general', 'foundational', 'intermediate', 'advanced', 'expert', 'thought_leader');
CREATE TYPE expertise_level AS ENUM ('foundational', 'intermediate', 'advanced', 'expert', 'thought_leader');
CREATE TYPE frequency_type AS ENUM ('daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'as_needed');
CREATE TYPE functional_area_type AS ENUM ('Commercial', 'Medical Affairs', 'Market Access', 'Clinical', 'Regulatory', 'Research & Development', 'Manufacturing', 'Quality', 'Operations', 'IT/Digital', 'Legal', 'Finance', 'HR', 'Business Development');
CREATE TYPE geographic_scope_type AS ENUM ('site', 'city', 'region', 'country', 'national', 'multi_country', 'global');
CREATE TYPE job_category_type AS ENUM ('strategic', 'operational', 'tactical', 'administrative', 'analytical', 'collaborative', 'creative', 'technical');
CREATE TYPE jtbd_status AS ENUM ('draft', 'active', 'deprecated', 'archived');
CREATE TYPE llm_provider_type AS ENUM ('openai', 'anthropic', 'azure_openai', 'google', 'cohere', 'huggingface', 'local', 'custom');
CREATE TYPE mapping_source_type AS ENUM ('manual', 'automated', 'ml_model', 'expert_review');
CREATE TYPE message_role AS ENUM ('system', 'user', 'assistant', 'function', 'tool');
CREATE TYPE seniority_level AS ENUM ('entry', 'mid', 'senior', 'executive');
CREATE TYPE solution_status AS ENUM ('development', 'beta', 'active', 'maintenance', 'deprecated', 'retired');
CREATE TYPE span_of_control_type AS ENUM ('individual_contributor', 'people_manager', 'manager_of_managers', 'executive');
CREATE TYPE task_status AS ENUM ('pending', 'ready', 'in_progress', 'blocked', 'completed', 'failed', 'skipped');
CREATE TYPE tenant_role AS ENUM ('owner', 'admin', 'member', 'viewer');
CREATE TYPE tenant_status AS ENUM ('trial', 'active', 'suspended', 'cancelled', 'churned');
CREATE TYPE tenant_tier AS ENUM ('free', 'starter', 'professional', 'enterprise');
CREATE TYPE validation_status AS ENUM ('pending', 'in_review', 'approved', 'rejected', 'requires_update', 'draft', 'needs_revision');
CREATE TYPE workflow_status AS ENUM ('draft', 'active', 'running', 'paused', 'completed', 'failed', 'cancelled', 'archived');

CREATE TABLE tenants (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    slug text NOT NULL,
    tier tenant_tier DEFAULT 'free'::tenant_tier NOT NULL,
    status tenant_status DEFAULT 'active'::tenant_status NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT tenants_pkey PRIMARY KEY (id),
    CONSTRAINT tenants_slug_key UNIQUE (slug)
);

-- Supabase keeps accounts in auth.users; the platform mirrors them in public.users, which is
-- what the persona tables' created_by / updated_by / validated_by point to.
CREATE TABLE users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    full_name text,
    tenant_id uuid,
    role tenant_role DEFAULT 'member'::tenant_role NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE SET NULL
);
CREATE INDEX idx_users_tenant_id ON users (tenant_id);

CREATE TABLE org_functions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    name functional_area_type NOT NULL,
    slug text NOT NULL,
    description text,
    parent_id uuid,
    icon text,
    color text,
    sort_order integer DEFAULT 0,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT org_functions_pkey PRIMARY KEY (id),
    CONSTRAINT org_functions_tenant_id_name_key UNIQUE (tenant_id, name),
    -- Not in the live database: the seeder resolves `business_function: medical-affairs` by slug,
    -- which only means something when a slug names one function per tenant.
    CONSTRAINT org_functions_tenant_id_slug_key UNIQUE (tenant_id, slug),
    CONSTRAINT org_functions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT org_functions_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES org_functions(id) ON DELETE SET NULL
);
CREATE INDEX idx_org_functions_tenant_id ON org_functions (tenant_id);
CREATE INDEX idx_org_functions_parent_id ON org_functions (parent_id);

CREATE TABLE org_departments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    function_id uuid,
    name text NOT NULL,
    slug text NOT NULL,
    description text,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT org_departments_pkey PRIMARY KEY (id),
    CONSTRAINT org_departments_tenant_id_slug_key UNIQUE (tenant_id, slug),
    CONSTRAINT org_departments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT org_departments_function_id_fkey FOREIGN KEY (function_id) REFERENCES org_functions(id) ON DELETE SET NULL
);
CREATE INDEX idx_org_departments_tenant_id ON org_departments (tenant_id);
CREATE INDEX idx_org_departments_function_id ON org_departments (function_id);

CREATE TABLE org_roles (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    function_id uuid,
    department_id uuid,
    name text NOT NULL,
    slug text NOT NULL,
    description text,
    seniority_level seniority_level,
    leadership_level text,
    career_level integer DEFAULT 5,
    reports_to_role_id uuid,
    geographic_scope geographic_scope_type,
    span_of_control span_of_control_type,
    budget_authority budget_authority_type,
    approval_limits approval_limit_type,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT org_roles_pkey PRIMARY KEY (id),
    CONSTRAINT org_roles_tenant_id_slug_key UNIQUE (tenant_id, slug),
    CONSTRAINT org_roles_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
    CONSTRAINT org_roles_function_id_fkey FOREIGN KEY (function_id) REFERENCES org_functions(id) ON DELETE SET NULL,
    CONSTRAINT org_roles_department_id_fkey FOREIGN KEY (department_id) REFERENCES org_departments(id) ON DELETE SET NULL,
    CONSTRAINT org_roles_reports_to_role_id_fkey FOREIGN KEY (reports_to_role_id) REFERENCES org_roles(id) ON DELETE SET NULL
);
CREATE INDEX idx_org_roles_tenant_id ON org_roles (tenant_id);
CREATE INDEX idx_org_roles_function_id ON org_roles (function_id);
CREATE INDEX idx_org_roles_department_id ON org_roles (department_id);
CREATE INDEX idx_org_roles_reports_to_role_id ON org_roles (reports_to_role_id);
