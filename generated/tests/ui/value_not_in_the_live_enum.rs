// The seeding guide speaks of seniority 'junior'; the live enum `seniority_level` says
// entry, mid, senior, executive. Code written against the guide does not compile.
use generated::SeniorityLevel;

fn main() {
    let _ = SeniorityLevel::Junior;
}
