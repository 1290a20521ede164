//! Converts the embedded catalog (models.toml) to JSON at build time: parsing JSON at start-up
//! costs a fraction of parsing TOML, and `ptuplan size` should cost little more than starting a
//! process. The TOML stays the source; a catalog given with --catalog is read as TOML.

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=models.toml");
    let text = std::fs::read_to_string("models.toml").expect("models.toml is readable");
    // A syntax error here is reported, with its line, by the catalog tests and at run time
    // when the TOML is parsed for the error message; the build only needs valid TOML.
    // The quota-tier, region and batch-quota lists go to a file of their own, parsed only by the commands
    // that read them.
    let (json, extras) = match toml::from_str::<toml::Value>(&text) {
        Ok(toml::Value::Table(mut table)) => {
            let mut extras = toml::map::Map::new();
            for key in ["quota_tier", "availability", "batch_quota"] {
                if let Some(list) = table.remove(key) {
                    extras.insert(key.to_string(), list);
                }
            }
            let to_json =
                |value| serde_json::to_string(&value).expect("TOML values convert to JSON");
            (
                to_json(toml::Value::Table(table)),
                to_json(toml::Value::Table(extras)),
            )
        }
        _ => (String::new(), String::new()),
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("models.json"), json).expect("OUT_DIR is writable");
    std::fs::write(out.join("extras.json"), extras).expect("OUT_DIR is writable");
}
