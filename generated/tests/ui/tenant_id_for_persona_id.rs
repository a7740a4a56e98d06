// A tenant id cannot stand where a persona id belongs.
use generated::{NewPersonaPainPoint, TenantId};

fn main() {
    let tenant = TenantId(uuid::Uuid::nil());
    let _ = NewPersonaPainPoint::new(tenant);
}
