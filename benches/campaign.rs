//! Benchmarks of campaign mode: the hardest shipped campaign (12 weeks, 8 accounts) played by
//! the best reference policy with its authored conversations, and random-policy campaigns
//! (the issue asks for 10,000 in at most 30 s on one core: multiply the per-batch time by 100).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use dunning_dojo::domain::campaign::{Desk, Policy, simulate};
use dunning_dojo::domain::library::Library;
use dunning_dojo::domain::text::Locale;

fn library() -> Library {
    Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dialogues")])
}

fn bench_campaign(c: &mut Criterion) {
    let lib = library();
    let id = "quarter_end_desk";
    let open = |seed| Desk::new(&lib, id, seed, Locale::ZhCn, "小李").expect("opens");
    c.bench_function(
        "campaign: quarter_end_desk, best policy, conversations played",
        |b| b.iter(|| black_box(simulate(open(1), Policy::Best).expect("plays"))),
    );
    let mut group = c.benchmark_group("campaign random");
    group.sample_size(10);
    group.bench_function(
        "campaign: 100 random-policy quarter_end_desk campaigns",
        |b| {
            b.iter(|| {
                for seed in 0..100 {
                    black_box(simulate(open(seed), Policy::Random).expect("plays"));
                }
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench_campaign);
criterion_main!(benches);
