-- The seeding guide deploys personas for twelve business functions (medical-affairs, sales,
-- marketing, product, engineering, customer-success, operations, finance, human-resources,
-- legal, research-development, executive). org_functions.name is the enum
-- functional_area_type, whose 14 labels have no value for six of them. Add those six, after the
-- existing labels so that every stored value keeps its meaning and order.
-- (human-resources maps to the existing 'HR', research-development to 'Research & Development'.)
ALTER TYPE functional_area_type ADD VALUE IF NOT EXISTS 'Sales';
ALTER TYPE functional_area_type ADD VALUE IF NOT EXISTS 'Marketing';
ALTER TYPE functional_area_type ADD VALUE IF NOT EXISTS 'Product';
ALTER TYPE functional_area_type ADD VALUE IF NOT EXISTS 'Engineering';
ALTER TYPE functional_area_type ADD VALUE IF NOT EXISTS 'Customer Success';
ALTER TYPE functional_area_type ADD VALUE IF NOT EXISTS 'Executive';
