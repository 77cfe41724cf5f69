//! The same child typed another way is the same child: look-alike names are refused as
//! already enrolled, through the real binary.

mod cli_support;

use cli_support::Db;
use serde_json::json;

fn line(first: &str) -> String {
    json!({"registration_info": {
        "child": {"firstName": first, "lastName": "Diallo", "dateOfBirth": "2023-06-01"},
        "parents": {"mother": {"firstName": "Aicha", "lastName": "Cisse", "phone": "123-456-7890"}},
        "daysOfWeek": ["Monday"]
    }})
    .to_string()
        + "\n"
}

#[test]
fn each_look_alike_of_an_enrolled_child_is_refused_as_already_enrolled() {
    let db = Db::new();
    let variants = [
        "Zoe\u{308}",          // NFD, as macOS types it
        "Zo\u{200b}ë",         // zero-width space
        "Zo\u{200d}ë",         // zero-width joiner
        "Zo\u{ad}ë",           // soft hyphen
        "Ｚｏë",               // fullwidth letters
        "\u{feff}Zoë",         // byte order mark
        "\u{200e}Zoë",         // left-to-right mark
        "\u{202d}Zoë\u{202c}", // left-to-right override
        "ZOË",                 // case
    ];
    let mut input = line("Zoë") + &line("Isabel");
    for v in variants {
        input += &line(v);
    }
    input += &line("İsabel"); // dotted capital I
    let file = db.dir.path().join("lookalikes.jsonl");
    std::fs::write(&file, input).unwrap();
    let (code, out) = db.json(&["submit", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let results = out["results"].as_array().unwrap();
    assert_eq!(results.len(), 12);
    assert_eq!(results[0]["status"], "SUCCEEDED", "{}", results[0]);
    assert_eq!(results[1]["status"], "SUCCEEDED", "{}", results[1]);
    for r in &results[2..] {
        assert_eq!(r["error"], "AlreadyEnrolled", "{r}");
    }
    let (_, regs) = db.json(&["registrations"]);
    assert_eq!(regs["registrations"].as_array().unwrap().len(), 2);
    assert_eq!(regs["registrations"][1]["firstName"], "Zoë");
}

#[test]
fn a_name_typed_decomposed_is_kept_composed_and_without_invisible_characters() {
    let db = Db::new();
    let file = db.dir.path().join("nfd.json");
    std::fs::write(&file, line("\u{feff}Zoe\u{308}\u{200b}")).unwrap();
    let (code, out) = db.json(&["submit", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["results"][0]["child"], "Zoë Diallo");
    let (_, regs) = db.json(&["registrations"]);
    assert_eq!(regs["registrations"][0]["firstName"], "Zoë");
}
