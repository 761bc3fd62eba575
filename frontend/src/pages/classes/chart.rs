//! The spread of a quiz's scores as an inline SVG bar chart: ten bars of a tenth of the maximum
//! each, with the count written on every bar. `role="img"` hides the bars from screen readers,
//! so the label carries every count.

use leptos::prelude::*;

use crate::i18n::{Key, use_i18n};

const WIDTH: f64 = 420.0;
const LEFT: f64 = 10.0;
const SLOT: f64 = 40.0;
const BAR: f64 = 30.0;
const BASE: f64 = 170.0;
const TALLEST: f64 = 140.0;

/// The bucket's range in percent: `0–9`, …, `90–100` (the last one includes full marks).
fn range(bucket: usize) -> String {
    let low = bucket * 10;
    if bucket == 9 { format!("{low}–100") } else { format!("{low}–{}", low + 9) }
}

/// `histogram[i]` learners scored from i×10 % to below (i+1)×10 % of the maximum.
#[component]
pub(super) fn ScoreChart(histogram: [u32; 10]) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let most = histogram.iter().copied().max().unwrap_or(0).max(1);
    let label = move || {
        let counts: Vec<String> = histogram.iter().enumerate().map(|(i, n)| format!("{} %: {n}", range(i))).collect();
        format!("{} ({}): {}", t(Key::ResultsDistribution)(), t(Key::ResultsPercentOfMax)(), counts.join(", "))
    };
    view! {
        <svg class="score-chart" data-testid="score-chart" role="img" viewBox=format!("0 0 {WIDTH} 215")
            aria-label=label>
            <line class="axis" x1=LEFT y1=BASE x2={WIDTH - LEFT} y2=BASE />
            {histogram.into_iter().enumerate().map(|(k, count)| {
                let height = TALLEST * f64::from(count) / f64::from(most);
                let x = LEFT + SLOT * k as f64 + (SLOT - BAR) / 2.0;
                let mid = x + BAR / 2.0;
                let label = range(k);
                let tip = {
                    let label = label.clone();
                    move || format!("{label} %: {count} {}", t(Key::ResultsLearners)())
                };
                view! {
                    <g class="bar" data-testid=format!("bar-{k}") data-count=count.to_string()>
                        <title>{tip}</title>
                        <rect x=x y={BASE - height} width=BAR height=height />
                        <text class="count" x=mid y={BASE - height - 4.0} text-anchor="middle">{count}</text>
                        <text class="range" x=mid y={BASE + 16.0} text-anchor="middle">{label}</text>
                    </g>
                }
            }).collect_view()}
            <text class="range" x={WIDTH / 2.0} y="210" text-anchor="middle">{t(Key::ResultsPercentOfMax)}</text>
        </svg>
    }
}
