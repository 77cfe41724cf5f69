//! confirmRegistration trusts nothing an earlier step claims: a definition with only that
//! task, run by the real binary on a forged input, enrols nobody.

mod cli_support;

use cli_support::{Db, fixture};

#[test]
fn a_forged_confirmation_through_workflow_run_enrols_nobody() {
    let db = Db::new();
    let (code, out, err) = db.run(&[
        "--db",
        db.path.to_str().unwrap(),
        "workflow",
        "run",
        &fixture("confirm-only.asl.json"),
        "--input",
        &fixture("confirm-forged-input.json"),
    ]);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    let run: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let output: serde_json::Value =
        serde_json::from_str(run["execution"]["output"].as_str().unwrap()).unwrap();
    assert_eq!(output["statusCode"], 422, "{output}");
    let cause = output["body"].as_str().unwrap();
    assert!(cause.contains("control characters"), "{cause}");
    assert!(cause.contains("at least one parent"), "{cause}");

    let (_, regs) = db.json(&["registrations"]);
    assert_eq!(regs["registrations"], serde_json::json!([]), "{regs}");
    let (_, spots) = db.json(&["spots"]);
    assert_eq!(spots["spots"][0]["enrolled"], 0, "{spots}");
}
