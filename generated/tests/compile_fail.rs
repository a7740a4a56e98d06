//! What the generated types refuse at compile time (hand-written tests: generated/src is the
//! only generated part of this crate).

#[test]
fn compile_fail() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
