//! Synthetic libraries for benchmarks: realistic postmortems generated deterministically
//! from a seed (the same seed always gives the same documents, on every machine).
//!
//! The vocabulary and structure follow real postmortems (the DFDS corpus, seeds 003/004):
//! a service, a failure mode, a trigger, symptoms, a timeline with markers, 5-whys,
//! contributing factors and action items with owners. Titles and prose combine fragments so
//! that terms recur across documents with realistic frequencies.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::*;

pub mod realistic;

const SERVICES: &[&str] = &[
    "payments-api",
    "checkout-web",
    "auth-service",
    "search-service",
    "notifications",
    "data-pipeline",
    "kubernetes-platform",
    "postgres-primary",
    "cdn-edge",
    "billing-worker",
    "mobile-api",
    "inventory-service",
    "recommendations",
    "identity-gateway",
    "message-broker",
    "object-storage",
    "dns-resolver",
    "ledger-service",
    "shipping-tracker",
    "reporting-warehouse",
];
const CATEGORIES: &[&str] = &[
    "config change",
    "deployment",
    "capacity",
    "dependency failure",
    "certificate expiry",
    "database",
    "network",
    "data corruption",
    "security",
    "third-party outage",
    "monitoring gap",
    "resource exhaustion",
];
const COMPONENTS: &[&str] = &[
    "connection pool",
    "load balancer",
    "ingress controller",
    "read replica",
    "message queue",
    "cache cluster",
    "feature flag service",
    "DNS zone",
    "TLS certificate",
    "autoscaler",
    "cron scheduler",
    "service mesh sidecar",
    "rate limiter",
    "circuit breaker",
    "node pool",
    "etcd cluster",
    "CI pipeline",
    "schema migration",
    "secrets manager",
    "webhook consumer",
    "batch job",
    "API gateway",
    "object store bucket",
    "search shard",
];
const SYMPTOMS: &[&str] = &[
    "elevated 5xx errors",
    "request timeouts",
    "stale reads",
    "failed logins",
    "slow checkout",
    "dropped messages",
    "duplicate notifications",
    "missing invoices",
    "pods in CrashLoopBackOff",
    "disk full alerts",
    "latency above the SLO",
    "intermittent 502s",
    "queue backlog growth",
    "certificate warnings in browsers",
    "OOM kills",
    "replication lag",
    "DNS resolution failures",
    "throttled API calls",
];
const TRIGGERS: &[&str] = &[
    "a configuration change that lowered the pool size",
    "a deploy that shipped an unbounded query",
    "an expired certificate on the edge",
    "a traffic spike from a marketing campaign",
    "a dependency upgrade that changed default timeouts",
    "a node pool drained during maintenance",
    "a schema migration that locked a hot table",
    "an upstream provider outage",
    "a cron job that ran twice after a clock change",
    "IP address exhaustion in the cluster subnet",
    "a feature flag enabled for all tenants at once",
    "an IaC change that reverted manual fixes",
    "inotify watch exhaustion on worker nodes",
    "a memory leak in the new client library",
];
const MITIGATIONS: &[&str] = &[
    "rolled back the deploy",
    "restored the previous configuration",
    "failed over to the secondary region",
    "scaled the node pool out",
    "rotated the certificate",
    "disabled the feature flag",
    "drained the bad node",
    "raised the connection limit",
    "paused the batch job",
    "purged the poisoned cache entries",
];
const FACTORS: &[&str] = &[
    "No automated validation for configuration changes",
    "Alert thresholds were tuned for last year's traffic",
    "The runbook did not cover this failure mode",
    "Staging does not have production-like data volume",
    "Canary analysis was skipped for configuration deploys",
    "Ownership of the component was unclear",
    "Retries without backoff amplified the load",
    "Certificate expiry was tracked manually",
    "Dashboards lacked saturation metrics for the pool",
    "The change window overlapped peak traffic",
];
/// Root-cause types the contributing factors are filed under.
const ROOT_CAUSE_TYPES: &[&str] = &["Process", "Technology", "People", "Tooling", "Communication", "External"];
/// SLO targets given, in turn, to every other service (see [`services`]).
const SLO_TARGETS: &[f64] = &[0.999, 0.9995, 0.995, 0.99, 0.9999];
/// SLO windows given, in turn, to the services with an SLO.
const SLO_WINDOWS: &[i64] = &[30, 28, 90];
const ACTIONS: &[&str] = &[
    "Add validation for pool settings to the deploy pipeline",
    "Alert on certificate expiry 30 days ahead",
    "Add a saturation panel to the service dashboard",
    "Introduce exponential backoff in the client",
    "Document failover steps in the runbook",
    "Load test with production-like data",
    "Add a canary stage for configuration deploys",
    "Automate node drain checks",
    "Set resource limits for the batch job",
    "Page on replication lag above five minutes",
];
const PEOPLE: &[&str] = &[
    "Priya Raman",
    "Marcus Chen",
    "Sofia Alvarez",
    "Dana Okafor",
    "Jonas Lindqvist",
    "Aiko Tanaka",
    "Rahul Mehta",
    "Fatima Zahra",
    "Liam O'Connor",
    "Chen Wei",
    "Amara Nwosu",
    "Tomasz Nowak",
    "Elena Petrova",
    "Diego Santos",
    "Hannah Becker",
    "Kwame Mensah",
    "Yuki Sato",
    "Noah Williams",
];

fn pick<'a, R: Rng>(rng: &mut R, list: &'a [&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// Stable UUID for the `n`th object of kind `kind` in the corpus of `seed`.
fn id(seed: u64, kind: &str, n: u64) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, format!("debrief-synthetic/{seed}/{kind}/{n}").as_bytes())
        .to_string()
}

/// The services [`generate`] files incidents under, as a taxonomy: every other one has an
/// SLO (targets from 99% to 99.99%, windows of 28, 30 or 90 days), the rest have none, so
/// error budgets have something to count. Import them with the postmortems
/// (`LibraryDocument { services: synthetic::services(), .. }`).
pub fn services() -> Vec<crate::model::Service> {
    SERVICES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let slo = i % 2 == 0;
            crate::model::Service {
                name: (*name).to_string(),
                description: String::new(),
                slo_target: slo.then(|| SLO_TARGETS[(i / 2) % SLO_TARGETS.len()]),
                slo_window_days: slo.then(|| SLO_WINDOWS[(i / 2) % SLO_WINDOWS.len()]),
                team: None,
                retired: false,
            }
        })
        .collect()
}

/// `count` postmortems over the two years before `end`, deterministic for `seed`.
///
/// Each has a timeline with all five markers, users affected, one service and one category,
/// a contributing factor filed under a root-cause type, a prevent action item (six in ten
/// done), and, when it has left Draft, its status history (Draft to In review to Final, the
/// first move within a few days of the postmortem's creation).
pub fn generate(seed: u64, count: usize, end: NaiveDate) -> impl Iterator<Item = Postmortem> {
    generate_over(seed, count, end, 730)
}

/// [`generate`] with the incidents spread over the `days` before `end` (two years is 730).
pub fn generate_over(seed: u64, count: usize, end: NaiveDate, days: i64) -> impl Iterator<Item = Postmortem> {
    let days = days.max(1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // A second stream for the fields added later (root-cause types, status history), so the
    // fields drawn from `rng` stay what they were for every seed.
    let mut extra = ChaCha8Rng::seed_from_u64(seed ^ 0x5EED_A11A_1C5E_0001);
    let mut child = 0u64;
    (0..count).map(move |n| {
        let mut next_id = |kind: &str| {
            child += 1;
            id(seed, kind, child)
        };
        let service = pick(&mut rng, SERVICES);
        let category = pick(&mut rng, CATEGORIES);
        let component = pick(&mut rng, COMPONENTS);
        let symptom = pick(&mut rng, SYMPTOMS);
        let trigger = pick(&mut rng, TRIGGERS);
        let mitigation = pick(&mut rng, MITIGATIONS);
        let severity = match rng.random_range(0..100) {
            0..10 => Severity::Sev1,
            10..35 => Severity::Sev2,
            35..80 => Severity::Sev3,
            _ => Severity::Sev4,
        };
        let date = end - Duration::days(rng.random_range(0..days));
        let start = Utc
            .from_utc_datetime(&date.and_hms_opt(rng.random_range(0..23), rng.random_range(0..60), 0).expect("valid"));
        let detect = rng.random_range(1..45);
        let ack = detect + rng.random_range(1..15);
        let mitigate = ack + rng.random_range(5..120);
        let resolve = mitigate + rng.random_range(5..240);
        let title = format!("{} on {} after {}", capitalize(symptom), service, component_phrase(component));
        let summary = format!(
            "Between {} and {} UTC, {} saw {} caused by {}. About {}% of users were affected. The team {} and \
             the service recovered.",
            start.format("%H:%M"),
            (start + Duration::minutes(resolve)).format("%H:%M"),
            service,
            symptom,
            trigger,
            rng.random_range(1..80),
            mitigation
        );
        let at = |m: i64| start + Duration::minutes(m);
        let mut ev = |m: i64, kind: EventKind, marker: Option<Marker>, text: String| TimelineEvent {
            id: next_id("event"),
            at: at(m),
            approximate: false,
            kind,
            marker,
            text,
        };
        let timeline = vec![
            ev(0, EventKind::Trigger, Some(Marker::Started), format!("Impact begins: {trigger}")),
            ev(detect, EventKind::Detection, Some(Marker::Detected), format!("Alert fires for {symptom} on {service}")),
            ev(
                ack,
                EventKind::Acknowledgement,
                Some(Marker::Acknowledged),
                "On-call engineer acknowledges the page".into(),
            ),
            ev(
                ack + 3,
                EventKind::Escalation,
                None,
                format!("Incident declared {}, {} owners paged", severity.as_str(), component),
            ),
            ev(mitigate, EventKind::Mitigation, Some(Marker::Mitigated), format!("The team {mitigation}")),
            ev(
                resolve,
                EventKind::Resolution,
                Some(Marker::Resolved),
                "Error rates back to baseline; incident resolved".into(),
            ),
        ];
        let owner = pick(&mut rng, PEOPLE).to_string();
        let factor = pick(&mut rng, FACTORS).to_string();
        let action = pick(&mut rng, ACTIONS).to_string();
        let step1 = next_id("step");
        let step2 = next_id("step");
        let whys = vec![WhysChain {
            id: next_id("chain"),
            problem: format!("{} on {service}", capitalize(symptom)),
            steps: vec![
                WhyStep {
                    id: step1.clone(),
                    parent_id: None,
                    question: format!("Why did {service} show {symptom}?"),
                    answer: format!("The {component} was saturated after {trigger}."),
                    evidence: vec![],
                },
                WhyStep {
                    id: step2,
                    parent_id: Some(step1),
                    question: format!("Why did the {component} saturate?"),
                    answer: factor.clone(),
                    evidence: vec![],
                },
            ],
        }];
        let created = at(resolve) + Duration::days(1);
        let status = match rng.random_range(0..10) {
            0..6 => ActionStatus::Done,
            6..8 => ActionStatus::Open,
            8 => ActionStatus::InProgress,
            _ => ActionStatus::WontDo,
        };
        let sections = vec![
            Section { id: next_id("section"), key: "summary".into(), heading: "Summary".into(), body: summary },
            Section {
                id: next_id("section"),
                key: "root_cause".into(),
                heading: "Root cause analysis".into(),
                body: format!("The {component} on {service} ran out of headroom after {trigger}. {factor}."),
            },
            Section {
                id: next_id("section"),
                key: "lessons".into(),
                heading: "Lessons learned".into(),
                body: format!("Changes to the {component} need the same safeguards as code deploys."),
            },
        ];
        let review = if rng.random_bool(0.8) { ReviewStatus::Final } else { ReviewStatus::Draft };
        let root_cause_type = pick(&mut extra, ROOT_CAUSE_TYPES);
        let status_history = if review == ReviewStatus::Final {
            let left_draft = created + Duration::minutes(extra.random_range(10..72 * 60));
            let finalized = left_draft + Duration::minutes(extra.random_range(60..14 * 24 * 60));
            let by = pick(&mut extra, PEOPLE).to_string();
            vec![
                StatusChange { from: ReviewStatus::Draft, to: ReviewStatus::InReview, by: by.clone(), at: left_draft },
                StatusChange { from: ReviewStatus::InReview, to: ReviewStatus::Final, by, at: finalized },
            ]
        } else {
            vec![]
        };
        let updated = status_history.last().map_or(created, |c| c.at);
        Postmortem {
            id: id(seed, "postmortem", n as u64),
            title,
            incident_date: date,
            severity,
            status: review,
            authors: vec![pick(&mut rng, PEOPLE).to_string()],
            incident_commander: Some(pick(&mut rng, PEOPLE).to_string()),
            reviewers: vec![],
            participants: vec![],
            services: vec![service.to_string()],
            categories: vec![category.to_string()],
            tags: vec![component.split_whitespace().last().unwrap_or("misc").to_lowercase()],
            template: Some("Standard blameless".into()),
            near_miss: rng.random_bool(0.05),
            novel_failure_mode: rng.random_bool(0.1),
            users_affected_pct: Some(rng.random_range(1..80) as f64),
            revenue_impact: None,
            support_tickets: Some(rng.random_range(0..200)),
            error_budget_consumed_pct: None,
            data_impact: None,
            sections,
            timeline,
            whys,
            fishbones: vec![],
            contributing_factors: vec![ContributingFactor {
                id: next_id("factor"),
                text: factor,
                category: Some(root_cause_type.into()),
                source_step_id: None,
                source_cause_id: None,
            }],
            action_items: vec![ActionItem {
                id: next_id("action"),
                title: action,
                description: String::new(),
                owner: Some(owner),
                due_date: Some((created + Duration::days(30)).date_naive()),
                priority: Priority::P1,
                kind: ActionKind::Prevent,
                status,
                wont_do_reason: (status == ActionStatus::WontDo).then(|| "Superseded by the platform migration".into()),
                tracker_url: None,
                created_at: created,
                completed_at: (status == ActionStatus::Done).then(|| created + Duration::days(12)),
                source_step_id: None,
                source_factor_id: None,
            }],
            status_history,
            created_at: created,
            updated_at: updated,
            extra: serde_json::Map::new(),
            conflicts: vec![],
        }
    })
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

fn component_phrase(component: &str) -> String {
    format!("{component} change")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_corpus_and_documents_are_valid() {
        let end = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let a: Vec<_> = generate(7, 50, end).collect();
        let b: Vec<_> = generate(7, 50, end).collect();
        assert_eq!(a, b);
        let c: Vec<_> = generate(8, 50, end).collect();
        assert_ne!(a[0].title, c[0].title);
        for pm in &a {
            pm.validate(end).unwrap();
        }
    }
}
