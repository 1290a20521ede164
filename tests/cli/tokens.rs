//! `ptuplan tokens` and `size --prompt-file`: every input form and error.

use predicates::str::contains;

use crate::{json, ptuplan};

#[test]
fn plain_text_from_a_file_and_stdin() {
    // OpenAI's cookbook: "tiktoken is great!" is 6 tokens in cl100k_base.
    let path = write("great.txt", b"tiktoken is great!");
    let answer = json(&["tokens", &path, "--encoding", "cl100k_base"]);
    assert_eq!(answer["total_tokens"], 6);
    assert_eq!(answer["files"][0]["kind"], "text");
    // tiktoken's README: "hello world" is [15339, 1917] in cl100k_base.
    ptuplan()
        .args(["tokens", "--encoding", "cl100k_base", "--json"])
        .write_stdin("hello world")
        .assert()
        .success()
        .stdout(contains("\"total_tokens\": 2"));
}

#[test]
fn chat_json_counts_the_message_overhead() {
    // system 1 + "You are helpful." 4, user 1 + "Hello!" 2, name example_user 2 (+1):
    // 3+1+4 + 3+1+2+2+1 + 3 = 20 in o200k_base.
    let chat = br#"{"messages": [{"role": "system", "content": "You are helpful."},
        {"role": "user", "name": "example_user", "content": "Hello!"}]}"#;
    let answer = json(&["tokens", &write("chat.json", chat), "-m", "gpt-4.1"]);
    assert_eq!(answer["total_tokens"], 20);
    assert_eq!(answer["encoding"], "o200k_base");
    assert_eq!(answer["model"], "gpt-4.1");
    // A bare messages array on stdin is detected as chat.
    ptuplan()
        .args(["tokens", "--json"])
        .write_stdin(r#"[{"role": "system", "content": "You are helpful."}, {"role": "user", "name": "example_user", "content": "Hello!"}]"#)
        .assert()
        .success()
        .stdout(contains("\"kind\": \"chat\""))
        .stdout(contains("\"total_tokens\": 20"));
}

#[test]
fn jsonl_gives_the_distribution() {
    // Requests of 1, 2, 3 and 4 tokens in o200k_base ("a", "a b", ...): count 4, mean 2.5,
    // p50 2, p95 4, max 4.
    let lines = b"\"a\"\n\"a b\"\n\n{\"prompt\": \"a b c\"}\n{\"text\": \"a b c d\"}\n";
    let answer = json(&["tokens", &write("four.jsonl", lines)]);
    assert_eq!(answer["count"], 4);
    assert_eq!(answer["mean"], 2.5);
    assert_eq!(answer["p50"], 2);
    assert_eq!(answer["p95"], 4);
    assert_eq!(answer["max"], 4);
    assert_eq!(answer["total_tokens"], 10);
}

#[test]
fn size_from_sample_files_says_which_statistic() {
    let prompts = write("prompts.jsonl", b"\"a\"\n\"a b\"\n\"a b c\"\n\"a b c d\"\n");
    let answer = json(&[
        "size",
        "--rpm",
        "100",
        "--prompt-file",
        &prompts,
        "--completion",
        "10",
        "-m",
        "gpt-4.1",
        "--token-stat",
        "max",
    ]);
    assert_eq!(answer["prompt_tokens"], 4);
    assert_eq!(answer["measured_prompt"]["stat"], "max");
    assert_eq!(answer["measured_prompt"]["count"], 4);
    let mean = json(&[
        "size",
        "--rpm",
        "100",
        "--prompt-file",
        &prompts,
        "--completion-file",
        &prompts,
        "-m",
        "gpt-4.1",
    ]);
    assert_eq!(
        (
            mean["prompt_tokens"].as_f64(),
            mean["completion_tokens"].as_f64()
        ),
        (Some(2.5), Some(2.5))
    );
    let out = crate::table(&[
        "size",
        "--rpm",
        "100",
        "--prompt-file",
        &prompts,
        "--completion",
        "10",
        "-m",
        "gpt-4.1",
    ]);
    assert!(
        out.contains("prompt tokens measured: mean of 4 requests"),
        "{out}"
    );
}

#[test]
fn example_samples_count() {
    let answer = json(&[
        "tokens",
        "examples/samples/support-chat.json",
        "examples/samples/requests.jsonl",
        "examples/samples/responses.jsonl",
        "-m",
        "gpt-4.1",
    ]);
    assert_eq!(answer["count"], 9);
    assert_eq!(answer["files"][1]["kind"], "jsonl");
}

#[test]
fn bad_token_input() {
    let invalid = write("invalid.txt", b"ab\xffc");
    let malformed = write("bad.jsonl", b"\"ok\"\n{\"prompt\": \n");
    let no_role = write("norole.json", br#"[{"content": "x"}]"#);
    let cases: [(Vec<&str>, &str); 7] = [
        (
            vec!["tokens", &invalid],
            "invalid UTF-8 at byte 2; pass --lossy",
        ),
        (vec!["tokens", &malformed], "line 2: column"),
        (vec!["tokens", &no_role], "message 1: no 'role'"),
        (
            vec!["tokens", "/nonexistent.txt"],
            "file '/nonexistent.txt': cannot read it",
        ),
        (
            vec!["tokens", &invalid, "--encoding", "o300k"],
            "known: o200k_base, cl100k_base",
        ),
        (
            vec!["tokens", &invalid, "-m", "Llama-3.3-70B-Instruct"],
            "is not in tiktoken's model table",
        ),
        (
            vec!["size", "--rpm", "5", "--prompt-file", &invalid, "--lossy"],
            "--completion N or --completion-file",
        ),
    ];
    for (args, expected) in cases {
        let output = ptuplan().args(&args).output().expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
    ptuplan()
        .args(["tokens", &invalid, "--lossy", "--json"])
        .assert()
        .success();
}

fn write(name: &str, contents: impl AsRef<[u8]>) -> String {
    crate::scratch("tokens", name, contents)
}

#[test]
fn each_sample_file_counts_its_own_side() {
    // A line with both fields: --prompt-file counts the prompt (6 tokens), --completion-file the
    // completion (1 token).
    let both = write(
        "both.jsonl",
        "{\"prompt\": \"one two three four five six\", \"completion\": \"x\"}\n",
    );
    let answer = json(&[
        "size",
        "--rpm",
        "10",
        "--prompt-file",
        &both,
        "--completion-file",
        &both,
        "-m",
        "gpt-4.1",
    ]);
    assert_eq!(
        (
            answer["prompt_tokens"].as_f64(),
            answer["completion_tokens"].as_f64()
        ),
        (Some(6.0), Some(1.0))
    );
    // Several files after one flag.
    let more = write("more.jsonl", "\"a b c d e f g h\"\n");
    let answer = json(&[
        "size",
        "--rpm",
        "10",
        "--prompt-file",
        &both,
        &more,
        "--completion",
        "5",
        "-m",
        "gpt-4.1",
    ]);
    assert_eq!(answer["measured_prompt"]["count"], 2);
}

#[test]
fn approximations_and_omissions_are_said() {
    let text = write("plain.txt", "hello world");
    let answer = json(&[
        "tokens",
        &text,
        "-m",
        "Llama-3.3-70B-Instruct",
        "--encoding",
        "o200k_base",
    ]);
    assert!(
        answer["notes"].to_string().contains("approximation"),
        "{answer}"
    );
    let image = write(
        "image.json",
        r#"[{"role": "user", "content": [{"type": "text", "text": "Hi"}, {"type": "image_url", "image_url": {"url": "x"}}]}]"#,
    );
    let answer = json(&[
        "size",
        "--rpm",
        "10",
        "--prompt-file",
        &image,
        "--completion",
        "5",
        "-m",
        "Llama-3.3-70B-Instruct",
    ]);
    let notes = answer["notes"].to_string();
    assert!(notes.contains("1 non-text message part(s)"), "{notes}");
    assert!(
        notes.contains("approximation for Llama-3.3-70B-Instruct"),
        "{notes}"
    );
    ptuplan()
        .args(["tokens", &text, "-", "-"])
        .assert()
        .code(2)
        .stderr(contains("more than once"));
    ptuplan()
        .args(["size", "--rpm", "5", "--tokens", "5", "--token-stat", "p95"])
        .assert()
        .code(2)
        .stderr(contains("--token-stat applies to"));
    ptuplan()
        .args(["tokens", &write("empty.txt", "")])
        .assert()
        .code(2)
        .stderr(contains("empty"));
}
