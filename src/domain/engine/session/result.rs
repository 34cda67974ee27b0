//! The scored result of a finished session and its turn-by-turn debrief.

use super::*;

impl Session {
    /// The result, once the conversation has ended.
    pub fn result(&self) -> Option<AttemptResult> {
        let Node::Ending(end) = &self.content.scenario.nodes[self.state.node] else {
            return None;
        };
        let c = &self.content;
        let sc = &c.scenario;
        let raw = c.evidence_weight(&self.state.evidence) + self.sheet.evidence_points;
        let scores = self.sheet.scores(
            raw,
            c.max_evidence_for(&self.state.drawn),
            &sc.scoring.weights,
        );
        let debrief = self.turns.iter().map(|t| self.debrief_turn(t)).collect();
        Some(AttemptResult {
            scenario: sc.id.0.clone(),
            seed: self.seed,
            lang: self.locale.tag().to_owned(),
            trainee: self.trainee.clone(),
            content_hash: c.content_hash.clone(),
            prepared: self
                .prepared
                .iter()
                .map(|&i| sc.preparation.items[i].id.0.clone())
                .collect(),
            outcome: end.outcome,
            ending: end.id.0.clone(),
            summary: end.summary.as_ref().map(|s| self.render(s)),
            passed: passes(&scores, self.sheet.blocker, sc.scoring.pass_mark),
            pass_mark: sc.scoring.pass_mark,
            scores,
            violations: self.violations.clone(),
            evidence: sc
                .evidence
                .iter()
                .enumerate()
                .filter(|(i, _)| self.state.evidence.has(*i))
                .map(|(_, e)| e.id.0.clone())
                .collect(),
            evidence_missed: sc
                .evidence
                .iter()
                .enumerate()
                .filter(|(i, _)| !self.state.evidence.has(*i))
                .map(|(_, e)| e.id.0.clone())
                .collect(),
            truths: self
                .state
                .revealed
                .iter()
                .map(|i| c.persona.hidden_truths[i].id.0.clone())
                .collect(),
            drawn: self
                .state
                .drawn
                .iter()
                .filter_map(|i| c.variant(i))
                .map(|(d, v)| DrawnTruth {
                    id: d.id.0.clone(),
                    label: self.render(&d.label),
                    variant: v.id.0.clone(),
                    text: self.render(&v.text),
                })
                .collect(),
            turns: self.state.turn,
            transcript: self.transcript.clone(),
            debrief,
        })
    }

    fn debrief_turn(&self, t: &TurnRecord) -> DebriefTurn {
        let sc = &self.content.scenario;
        let node = sc.nodes.iter().find(|n| n.id().0 == t.node);
        let choices: &[Choice] = match node {
            Some(Node::Debtor(d)) => &d.choices,
            _ => &[],
        };
        let chosen = choices.iter().find(|c| c.id.0 == t.choice);
        let j = &t.judgement;
        let (lo, hi) = j.persistence_range;
        DebriefTurn {
            turn: t.turn,
            node: t.node.clone(),
            debtor: t.debtor.clone(),
            choice: t.choice.clone(),
            said: t.said.clone(),
            tone: chosen.map_or(Tone::Neutral, |c| c.tone),
            tone_score: crate::domain::engine::scoring::round1(100.0 * j.tone_fraction()),
            // A rule-breaking line earns no persistence (as in the total), however pushy.
            persistence_score: (hi > lo).then(|| {
                let blocker = chosen
                    .and_then(|c| c.violation.as_ref())
                    .is_some_and(|v| v.severity == Severity::Blocker);
                if blocker {
                    0.0
                } else {
                    crate::domain::engine::scoring::round1(100.0 * j.persistence_fraction())
                }
            }),
            evidence_gained: t.gained.clone(),
            mood: t.mood,
            feedback: chosen
                .map(|c| self.render(&c.feedback.text))
                .unwrap_or_default(),
            principle: chosen
                .and_then(|c| c.feedback.principle.as_ref())
                .map(|p| self.render(p)),
            course: chosen.and_then(|c| c.feedback.course.clone()),
            violation: chosen.and_then(|c| c.violation.as_ref()).map(|v| v.rule),
            was_best: j.was_best,
            best_alternative: (!j.was_best)
                .then(|| choices.get(j.best_choice))
                .flatten()
                .map(|b| Alternative {
                    choice: b.id.0.clone(),
                    text: self.render(&b.text),
                    tone: b.tone,
                    feedback: self.render(&b.feedback.text),
                    locked_reason: (j.best_choice != j.best_offered
                        && b.when.iter().any(mentions_prepared))
                    .then(|| self.preparation_hint(b)),
                }),
        }
    }

    /// "Needs preparation: …" for a line that preparation unlocks.
    pub(super) fn preparation_hint(&self, choice: &Choice) -> String {
        if let Some(hint) = &choice.locked_hint {
            return self.render(hint);
        }
        let sc = &self.content.scenario;
        let mut ids = Vec::new();
        choice.when.iter().for_each(|c| prepared_ids(c, &mut ids));
        let labels: Vec<String> = ids
            .iter()
            .filter_map(|id| sc.preparation.items.iter().find(|p| &p.id == *id))
            .map(|p| self.render(&p.label))
            .collect();
        format!(
            "{}{}",
            self.locale.pick("需要事先准备：", "Needs preparation: "),
            labels.join(self.locale.pick("；", "; "))
        )
    }
}
