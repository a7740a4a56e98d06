// persona_annual_conferences.conference_name is NOT NULL without a default: leaving it out of
// the constructor (or of a struct literal) does not compile.
use generated::{NewPersonaAnnualConference, PersonaId, TenantId};

fn main() {
    let _ = NewPersonaAnnualConference::new(PersonaId(uuid::Uuid::nil()), TenantId(uuid::Uuid::nil()));
}
