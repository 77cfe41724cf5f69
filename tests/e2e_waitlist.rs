//! End-to-end: the waitlist in the real `daycare` binary, in tmux. Friday has one spot;
//! the second child for Friday is refused, goes on the waitlist from its execution's
//! detail (`W`), the first is withdrawn from the command line, the Waitlist screen says
//! the second now fits, and an offer (`o`, confirmed) enrols them. The Audit screen names
//! the staff member. Every wait polls for text with a deadline.

mod tmux_support;

use tmux_support::Tmux;

fn child(first: &str, last: &str, born: &str, phone: &str) -> String {
    format!(
        r#"{{"registration_info": {{
  "child": {{"firstName": "{first}", "lastName": "{last}", "dateOfBirth": "{born}"}},
  "parents": {{"mother": {{"firstName": "Rana", "lastName": "{last}", "phone": "{phone}"}}}},
  "daysOfWeek": ["Friday"]
}}}}"#
    )
}

fn cli_ok(t: &Tmux, args: &[&str]) -> String {
    let out = t.cli(args);
    assert!(
        out.status.success(),
        "daycare {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_refused_child_waits_then_takes_the_spot_a_withdrawal_frees() {
    let t = Tmux::start_with(
        "offer",
        80,
        24,
        "DAYCARE_STAFF=maria DAYCARE_EXPORT_DIR=exports",
    );
    cli_ok(&t, &["spots", "set", "--day", "Friday", "1"]);
    let amara = t.write(
        "amara.json",
        &child("Amara", "Okafor", "2023-05-10", "555-0100"),
    );
    let bilal = t.write(
        "bilal.json",
        &child("Bilal", "Haddad", "2022-11-02", "555-0177"),
    );
    cli_ok(&t, &["submit", amara.to_str().unwrap()]);
    let refused = t.cli(&["submit", bilal.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&refused.stdout).into_owned();
    assert!(
        !refused.status.success() && said.contains("NoSpotsAvailable"),
        "{said}"
    );

    t.console();
    t.wait_until("the spots", |s| {
        s.contains("enrolled,") && s.contains("Places")
    });
    t.wait_for("Ageing out within 60 days");
    // The refused execution, from the Executions list.
    t.keys(&["3"]);
    t.wait_for("Amara Okafor");
    t.keys(&["/"]);
    t.literal("bilal");
    t.keys(&["Enter"]);
    t.wait_until("only Bilal's execution", |s| {
        s.contains("Bilal Haddad") && !s.contains("Amara Okafor")
    });
    t.keys(&["Enter"]);
    // A capture may land while the terminal is still drawing: the footer comes last.
    let detail = t.wait_until("the detail and its footer", |s| {
        s.contains("Error: NoSpotsAvailable") && s.contains("W waitlist")
    });
    assert!(
        detail.contains("W waitlist"),
        "the footer offers W:\n{detail}"
    );
    t.keys(&["W"]);
    t.wait_for("Priority note");
    t.keys(&["Enter"]);
    t.wait_for("Bilal Haddad is on the waitlist as entry 1 for Friday");

    t.keys(&["Escape"]);
    t.keys(&["6"]);
    t.wait_for("Order: the day added");
    // Friday is full: Bilal waits, and does not fit yet.
    let before = t.wait_for("1 waiting, 0 fit now");
    assert!(before.contains("does not fit now"), "{before}");

    // The first child leaves; the console sees the change and says who fits now.
    let withdrawn = cli_ok(&t, &["withdraw", "1", "--reason", "moving"]);
    assert!(withdrawn.to_lowercase().contains("withdr"), "{withdrawn}");
    // The dashboard says so on its own, as it reads again after the change.
    t.keys(&["1"]);
    t.wait_for("Waitlist: 1 waiting, 1 fits now: Bilal Haddad");
    t.keys(&["6"]);
    t.wait_for("1 fits now");

    // The list as a sheet, into the export folder, a new file each time.
    t.keys(&["E"]);
    t.wait_for("Waitlist written (1 row)");
    t.keys(&["E"]);
    t.wait_for("waitlist-2026-09-01-2.csv");
    let sheet =
        std::fs::read_to_string(t.dir.path().join("exports/waitlist-2026-09-01.csv")).unwrap();
    assert!(
        sheet.contains("Bilal Haddad") && sheet.contains(",yes,"),
        "{sheet}"
    );
    assert!(
        !t.dir.path().join("waitlist-2026-09-01.csv").exists(),
        "never the current folder"
    );

    t.keys(&["o"]);
    t.wait_for("Offer Bilal Haddad a spot on Friday?");
    t.keys(&["y"]);
    let enrolled = t.wait_for("Bilal Haddad is enrolled from 2026-09-15");
    assert!(enrolled.contains("fees"), "{enrolled}");
    t.wait_for("Nobody is waiting");
    let listed = cli_ok(&t, &["registrations"]);
    assert!(
        listed
            .lines()
            .any(|l| l.contains("Bilal Haddad") && l.contains("enrolled")),
        "{listed}"
    );

    // The audit names who did it.
    t.keys(&["7"]);
    let audit = t.wait_for("Waitlist: added");
    assert!(audit.contains("maria"), "{audit}");
    assert!(audit.contains("Offer"), "{audit}");
    t.keys(&["q"]);
    t.wait_for("daycare-exit=0");
}
