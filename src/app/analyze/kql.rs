//! The Kusto queries that export the traffic analyze reads, from API Management or Azure Monitor.

use crate::catalog::Catalog;
use crate::cli::{AnalyzeArgs, Format, KqlSource};
use crate::error::InputError;

use crate::app::render_json;

/// A Kusto query for Log Analytics that writes the per-minute export `analyze` reads.
pub(super) const KQL_APIM: &str = "\
// Per-second LLM traffic per deployment for `ptuplan analyze` (export the result as CSV).
// Needs API Management's \"Generative AI gateway logs\" (GatewayLlmLogs) in Log Analytics.
// One row per second and deployment, requests counted and tokens summed, so the sliding
// 60 s, 10 s and 1 s peaks stay exact. The table has no cached-token column.
// Log Analytics returns at most 500,000 rows (the portal fewer: use the API or az): a day
// of one deployment is 86,400; export a day at a time and give analyze every file.
ApiManagementGatewayLlmLog
| where TimeGenerated > ago(1d)
| where isnotempty(DeploymentName)   // each request's token row; message chunks have none
| summarize requests = count(), prompt_tokens = sum(PromptTokens),
    completion_tokens = sum(CompletionTokens)
    by timestamp = bin(TimeGenerated, 1s), deployment = DeploymentName
| order by timestamp asc
";

/// The Kusto query over Azure Monitor's per-minute platform metrics.
pub(super) const KQL: &str = "\
// Per-minute Azure OpenAI traffic for `ptuplan analyze` (export the result as CSV).
// Needs the resource's platform metrics sent to Log Analytics (diagnostic setting AllMetrics).
AzureMetrics
| where ResourceProvider == \"MICROSOFT.COGNITIVESERVICES\"
| where MetricName in (\"AzureOpenAIRequests\", \"ProcessedPromptTokens\", \"GeneratedTokens\")
| where TimeGenerated > ago(7d)
| summarize Total = sum(Total) by TimeGenerated = bin(TimeGenerated, 1m), MetricName
| order by TimeGenerated asc
";

/// `analyze --kql`: the query for Log Analytics, which reads no log.
pub(super) fn print_kql(
    source: KqlSource,
    args: &AnalyzeArgs,
    catalog: &Catalog,
    format: Format,
) -> anyhow::Result<String> {
    if !args.files.is_empty() {
        return Err(InputError::Usage(
            "--kql prints a query and reads no log: drop the files".into(),
        )
        .into());
    }
    let query = match source {
        KqlSource::Metrics => KQL,
        KqlSource::Apim => KQL_APIM,
    };
    match format {
        Format::Json => render_json(catalog, None, &serde_json::json!({ "kql": query })),
        Format::Table | Format::Markdown => Ok(query.to_string()),
    }
}
