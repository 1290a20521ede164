//! Reading sample requests: plain text, a chat request (JSON), or JSONL with one request per
//! line. Parsing only; counting is in [`super::count`].

use serde::Serialize;
use serde_json::Value;

use crate::error::InputError;

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// By extension (`.json`: chat, `.jsonl`/`.ndjson`: JSONL, else text); stdin by content.
    Auto,
    /// The whole file is one prompt.
    Text,
    /// One chat request: `{"messages": [...]}` or a bare messages array.
    Chat,
    /// One request per line: a JSON string, a chat request, or an object with `prompt`,
    /// `text`, `input`, `completion` or `content`.
    Jsonl,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    /// `system`, `user`, `assistant`, `tool`.
    pub role: String,
    /// Text content (text parts joined as they are counted one by one).
    pub content: Vec<String>,
    /// Optional participant name.
    pub name: Option<String>,
    /// Tool or function calls: (name, arguments).
    pub calls: Vec<(String, String)>,
    /// Non-text parts (images, audio) that were not counted.
    pub uncounted_parts: usize,
}

/// One request.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Plain text.
    Text(String),
    /// A chat request.
    Chat(Vec<Message>),
}

/// Bytes as UTF-8; invalid bytes are an error naming the offset, or replaced when `lossy`.
pub fn decode(bytes: Vec<u8>, path: &str, lossy: bool) -> Result<String, InputError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => Err(InputError::File {
            kind: "file",
            path: path.to_string(),
            line: None,
            message: format!(
                "invalid UTF-8 at byte {}; pass --lossy to replace invalid bytes",
                e.utf8_error().valid_up_to()
            ),
        }),
    }
}

/// The kind `auto` resolves to for a path (`-` is stdin, decided by content).
pub fn resolve_kind(kind: InputKind, path: &str, text: &str) -> InputKind {
    if kind != InputKind::Auto {
        return kind;
    }
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        InputKind::Jsonl
    } else if lower.ends_with(".json") {
        InputKind::Chat
    } else if path == "-" {
        let trimmed = text.trim_start();
        if (trimmed.starts_with('{') || trimmed.starts_with('['))
            && serde_json::from_str::<Value>(text).is_ok()
        {
            InputKind::Chat
        } else if !trimmed.is_empty()
            && text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .all(|l| serde_json::from_str::<Value>(l).is_ok())
        {
            InputKind::Jsonl
        } else {
            InputKind::Text
        }
    } else {
        InputKind::Text
    }
}

/// Parses a file's text as `kind` (not `auto`).
pub fn parse(text: &str, path: &str, kind: InputKind) -> Result<Vec<Request>, InputError> {
    let error = |line: Option<u64>, message: String| InputError::File {
        kind: "file",
        path: path.to_string(),
        line,
        message,
    };
    match kind {
        InputKind::Auto | InputKind::Text => Ok(vec![Request::Text(text.to_string())]),
        InputKind::Chat => {
            let value: Value = serde_json::from_str(text).map_err(|e| {
                error(
                    Some(e.line() as u64),
                    format!("column {}: malformed JSON: {e}", e.column()),
                )
            })?;
            Ok(vec![request_of(&value).map_err(|m| error(None, m))?])
        }
        InputKind::Jsonl => {
            let mut requests = Vec::new();
            for (index, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let number = index as u64 + 1;
                let value: Value = serde_json::from_str(line).map_err(|e| {
                    error(
                        Some(number),
                        format!("column {}: malformed JSON: {e}", e.column()),
                    )
                })?;
                requests.push(request_of(&value).map_err(|m| error(Some(number), m))?);
            }
            if requests.is_empty() {
                return Err(error(
                    None,
                    "no requests: the JSONL file has no non-empty line".into(),
                ));
            }
            Ok(requests)
        }
    }
}

/// The text field names accepted for a text request, in the order they are looked for.
const TEXT_FIELDS: [&str; 5] = ["prompt", "text", "input", "completion", "content"];

fn request_of(value: &Value) -> Result<Request, String> {
    match value {
        Value::String(text) => Ok(Request::Text(text.clone())),
        Value::Array(messages) => Ok(Request::Chat(messages_of(messages)?)),
        Value::Object(map) => {
            if let Some(messages) = map.get("messages") {
                let messages = messages
                    .as_array()
                    .ok_or("'messages' must be an array of messages")?;
                return Ok(Request::Chat(messages_of(messages)?));
            }
            TEXT_FIELDS
                .iter()
                .find_map(|field| map.get(*field).and_then(Value::as_str))
                .map(|text| Request::Text(text.to_string()))
                .ok_or_else(|| {
                    "expected a string, a messages array, or an object with 'messages' or one of \
                     'prompt', 'text', 'input', 'completion', 'content'"
                        .to_string()
                })
        }
        _ => Err("expected a string, a messages array or an object".to_string()),
    }
}

fn messages_of(values: &[Value]) -> Result<Vec<Message>, String> {
    values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let map = value
                .as_object()
                .ok_or_else(|| format!("message {}: not an object", i + 1))?;
            let role = map
                .get("role")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("message {}: no 'role'", i + 1))?;
            let mut message = Message {
                role: role.to_string(),
                ..Message::default()
            };
            match map.get("content") {
                None | Some(Value::Null) => {}
                Some(Value::String(text)) => message.content.push(text.clone()),
                Some(Value::Array(parts)) => {
                    for part in parts {
                        match part.get("text").and_then(Value::as_str) {
                            Some(text) => message.content.push(text.to_string()),
                            None => message.uncounted_parts += 1,
                        }
                    }
                }
                Some(_) => {
                    return Err(format!(
                        "message {}: 'content' must be a string or an array of parts",
                        i + 1
                    ));
                }
            }
            message.name = map.get("name").and_then(Value::as_str).map(str::to_string);
            if let Some(calls) = map.get("tool_calls").and_then(Value::as_array) {
                for call in calls {
                    let function = call.get("function").unwrap_or(call);
                    let name = function
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let arguments = function
                        .get("arguments")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    message
                        .calls
                        .push((name.to_string(), arguments.to_string()));
                }
            }
            Ok(message)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_requests() {
        let chat = r#"{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "name": "ann", "content": [{"type": "text", "text": "Hi"}, {"type": "image_url", "image_url": {"url": "x"}}]}]}"#;
        let requests = parse(chat, "c.json", InputKind::Chat).expect("valid");
        let Request::Chat(messages) = &requests[0] else {
            panic!("chat")
        };
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[1].name.as_deref(), Some("ann"));
        assert_eq!(
            (messages[1].content.len(), messages[1].uncounted_parts),
            (1, 1)
        );
        let jsonl =
            "\"plain\"\n{\"prompt\": \"p\"}\n\n[{\"role\": \"user\", \"content\": \"x\"}]\n";
        assert_eq!(
            parse(jsonl, "r.jsonl", InputKind::Jsonl)
                .expect("valid")
                .len(),
            3
        );
    }

    #[test]
    fn errors_name_line_and_problem() {
        let err = parse("{\"prompt\": 1}\n{bad", "r.jsonl", InputKind::Jsonl)
            .expect_err("bad")
            .to_string();
        assert!(
            err.contains("line 1") && err.contains("expected a string"),
            "{err}"
        );
        let err = parse("\"ok\"\n{bad", "r.jsonl", InputKind::Jsonl)
            .expect_err("bad")
            .to_string();
        assert!(
            err.starts_with("file 'r.jsonl', line 2: column 2: malformed JSON"),
            "{err}"
        );
        let err = parse("[{\"content\": \"x\"}]", "c.json", InputKind::Chat)
            .expect_err("no role")
            .to_string();
        assert!(err.contains("message 1: no 'role'"), "{err}");
        let err = decode(vec![b'a', b'b', 0xff, b'c'], "x.txt", false)
            .expect_err("invalid")
            .to_string();
        assert!(
            err.contains("invalid UTF-8 at byte 2") && err.contains("--lossy"),
            "{err}"
        );
        assert_eq!(
            decode(vec![b'a', 0xff], "x.txt", true).expect("lossy"),
            "a\u{fffd}"
        );
    }

    #[test]
    fn auto_kind() {
        assert_eq!(
            resolve_kind(InputKind::Auto, "a.JSONL", ""),
            InputKind::Jsonl
        );
        assert_eq!(resolve_kind(InputKind::Auto, "a.json", ""), InputKind::Chat);
        assert_eq!(
            resolve_kind(InputKind::Auto, "a.txt", "{}"),
            InputKind::Text
        );
        assert_eq!(
            resolve_kind(
                InputKind::Auto,
                "-",
                "[{\"role\":\"user\",\"content\":\"x\"}]"
            ),
            InputKind::Chat
        );
        assert_eq!(
            resolve_kind(InputKind::Auto, "-", "\"a\"\n\"b\"\n"),
            InputKind::Jsonl
        );
        assert_eq!(resolve_kind(InputKind::Auto, "-", "hello"), InputKind::Text);
    }
}
