//! The sentences of [`LifecycleNote`]s: what happened or happens to a model when, its
//! replacement and how to migrate.

use chrono::NaiveDate;

use crate::lifecycle::{LifecycleView, RETIRING_WITHIN_DAYS, Stage};
use crate::note::LifecycleNote;
use crate::numfmt::trimmed;

/// What `note` says.
pub(super) fn sentence(note: &LifecycleNote) -> String {
    match note {
        LifecycleNote::Model { view, as_of } => model_note(view, *as_of),
        LifecycleNote::Stage {
            stage,
            views,
            as_of,
        } => stage_note(views, *stage, *as_of),
    }
}

/// One model's note: what happened or happens when, the replacement and the migration.
fn model_note(view: &LifecycleView, as_of: NaiveDate) -> String {
    let name = match &view.version {
        Some(version) => format!("{} ({version})", view.model),
        None => view.model.clone(),
    };
    let date = |day: Option<NaiveDate>| day.map(|d| d.to_string()).unwrap_or_default();
    // SKUs are named only when one of their own dates is what is judged.
    let own: Vec<&str> = view
        .skus
        .iter()
        .filter(|sku| view.by_sku.contains_key(sku))
        .map(|sku| sku.as_str())
        .collect();
    let on = if own.is_empty() {
        String::new()
    } else {
        format!(" on {}", own.join(" and "))
    };
    let source = view.source.as_deref().unwrap_or("catalog");
    let mut note = match view.stage {
        Stage::Retired => format!(
            "{name} was retired{on} on {} [{source}]: it can no longer be deployed",
            date(view.retirement)
        ),
        Stage::Retiring => format!(
            "{name} retires{on} on {}, in {} [{source}]",
            date(view.retirement),
            days(view.days_to_retirement.unwrap_or_default())
        ),
        _ => format!(
            "{name} is deprecated{on} since {} (no new customers){} [{source}]",
            date(view.deprecation),
            view.retirement
                .map(|d| format!(" and retires on {d}"))
                .unwrap_or_default()
        ),
    };
    note.push_str(&sku_exceptions(view, as_of));
    note.push_str(&replacement_clause(view, as_of));
    note
}

/// `1 day`, `9 days`.
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// "; Standard retired on 2026-03-31" for SKUs not judged that retire earlier than the model.
fn sku_exceptions(view: &LifecycleView, as_of: NaiveDate) -> String {
    view.by_sku
        .iter()
        .filter(|(sku, _)| !view.skus.contains(sku))
        .filter_map(|(sku, dates)| {
            let day = dates.retirement?;
            let earlier = view.retirement.is_none_or(|model_day| day < model_day);
            let verb = if day <= as_of { "retired" } else { "retires" };
            earlier.then(|| format!("; {sku} {verb} on {day}"))
        })
        .collect()
}

/// What happens to deployments: standard ones auto-upgrade to the replacement, provisioned
/// ones must be migrated by hand, keeping their PTU count, to the replacement's per-PTU numbers.
fn replacement_clause(view: &LifecycleView, as_of: NaiveDate) -> String {
    let upgrade = if view.stage == Stage::Retired {
        "were auto-upgraded"
    } else {
        "auto-upgrade"
    };
    let Some(m) = &view.migration else {
        return match &view.replacement {
            Some(name) => format!("; replacement {name} (not in the catalog)"),
            None => "; no replacement is published".to_string(),
        };
    };
    let via = if m.via.is_empty() {
        String::new()
    } else {
        format!(" (via retired {})", m.via.join(", "))
    };
    if m.retired {
        return format!(
            "; its replacement{via} {} is itself retired and names no successor in the \
             catalog: choose a current model ('ptuplan models')",
            m.to
        );
    }
    let target_retires = m
        .retirement
        .filter(|day| (*day - as_of).num_days() < RETIRING_WITHIN_DAYS)
        .map(|day| format!(" ({} itself retires on {day})", m.to))
        .unwrap_or_default();
    format!(
        "; standard deployments {upgrade} to {to}{via}, provisioned ones must be migrated by \
         hand and keep their PTUs ({to}: {} input TPM per PTU, output weight {}; {from}: {} and \
         {}): size with --model {to}{target_retires}",
        trimmed(m.input_tpm_per_ptu[1], 2),
        trimmed(m.output_weight[1], 2),
        trimmed(m.input_tpm_per_ptu[0], 2),
        trimmed(m.output_weight[0], 2),
        to = m.to,
        from = view.model,
    )
}

/// One note for every model at `stage`.
fn stage_note(views: &[LifecycleView], stage: Stage, as_of: NaiveDate) -> String {
    let entries: Vec<String> = views
        .iter()
        .map(|v| {
            let day = match stage {
                Stage::Deprecated => v.deprecation,
                _ => v.retirement,
            };
            let day = day.map(|d| d.to_string()).unwrap_or_default();
            match (&v.migration, &v.replacement) {
                (Some(m), _) if !m.retired => format!("{} ({day}, move to {})", v.model, m.to),
                (Some(_), _) => format!("{} ({day}, no current replacement)", v.model),
                (None, Some(name)) => format!("{} ({day}, replacement {name})", v.model),
                (None, None) => format!("{} ({day})", v.model),
            }
        })
        .collect();
    let head = match stage {
        Stage::Retired => format!(
            "retired by {as_of} (can no longer be deployed; standard deployments were \
             auto-upgraded where a replacement is named, provisioned ones must be migrated by \
             hand)"
        ),
        Stage::Retiring => {
            format!("retiring in fewer than {RETIRING_WITHIN_DAYS} days from {as_of}")
        }
        _ => "deprecated (no new customers)".to_string(),
    };
    format!(
        "{head}: {}; 'ptuplan models NAME' has the details",
        entries.join(", ")
    )
}
