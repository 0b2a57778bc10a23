//! The index of `rules/commands.toml` by command name: which rules a command's name lets
//! match (one lookup per command, no copy).

use super::File;
use std::sync::OnceLock;

/// A set of rules of [`File::rule`] by index (bit `i`: rule `i`).
type RuleSet = u64;

/// The rules of `rules/commands.toml` a command's name lets match ([`rules_naming`]): read
/// once per command name ([`super::super::Cmd`] keeps it), iterated only when not empty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Candidates {
    set: RuleSet,
    /// Every rule `0..every` besides (more rules than a [`RuleSet`] holds), else 0.
    every: usize,
}

impl Candidates {
    /// No rule.
    pub const NONE: Candidates = Candidates { set: 0, every: 0 };
    /// No rule can match.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.set == 0 && self.every == 0
    }
    /// The rules by index, in file order.
    pub fn iter(self) -> std::iter::Chain<Bits, std::ops::Range<usize>> {
        Bits(self.set).chain(0..self.every)
    }
}

/// The rules of a [`RuleSet`] in file order.
pub struct Bits(RuleSet);

impl Iterator for Bits {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let i = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(i)
    }
}

/// Every command name and name prefix the patterns use, collected once, each with the rules
/// that have a pattern naming it; the names by their first byte (a lookup is a few length
/// compares, no hash). A rule none of whose patterns names a command cannot match it
/// ([`Pattern::matches`] needs the name). An exact name's set includes the rules whose
/// prefix it starts with. With more rules than a [`RuleSet`] holds, every rule is a
/// candidate (matching still decides).
struct Names<'f> {
    exact: Vec<Vec<(&'f str, RuleSet)>>,
    prefixes: Vec<(&'f str, RuleSet)>,
    /// The number of rules when they do not fit a [`RuleSet`], else 0.
    overflow: usize,
}

fn bucket(name: &str) -> usize {
    usize::from(name.as_bytes().first().copied().unwrap_or(0))
}

fn prefix_rules(prefixes: &[(&str, RuleSet)], name: &str) -> RuleSet {
    let mut rules = 0;
    for &(x, r) in prefixes {
        if name.starts_with(x) {
            rules |= r;
        }
    }
    rules
}

impl<'f> Names<'f> {
    fn build(file: &'f File) -> Names<'f> {
        let mut exact: Vec<Vec<(&str, RuleSet)>> = vec![Vec::new(); 256];
        let mut prefixes: Vec<(&str, RuleSet)> = Vec::new();
        if file.rule.len() > RuleSet::BITS as usize {
            return Names {
                exact,
                prefixes,
                overflow: file.rule.len(),
            };
        }
        let add = |v: &mut Vec<(&'f str, RuleSet)>, n: &'f str, bit: RuleSet| match v
            .iter_mut()
            .find(|(x, _)| *x == n)
        {
            Some((_, rules)) => *rules |= bit,
            None => v.push((n, bit)),
        };
        for (i, rule) in file.rule.iter().enumerate() {
            let bit: RuleSet = 1 << i;
            for p in &rule.when {
                for c in &p.command {
                    add(&mut exact[bucket(c)], c, bit);
                }
                if let Some(x) = p.command_prefix.as_deref() {
                    add(&mut prefixes, x, bit);
                }
            }
        }
        for (n, rules) in exact.iter_mut().flatten() {
            *rules |= prefix_rules(&prefixes, n);
        }
        Names {
            exact,
            prefixes,
            overflow: 0,
        }
    }

    /// The rules that have a pattern naming a command called `name`, in file order (none:
    /// no rule can match it).
    fn naming(&self, name: &str) -> Candidates {
        let set = match self.exact[bucket(name)].iter().find(|(n, _)| *n == name) {
            Some(&(_, rules)) => rules,
            None => prefix_rules(&self.prefixes, name),
        };
        Candidates {
            set,
            every: self.overflow,
        }
    }
}

static NAMES: OnceLock<Names<'static>> = OnceLock::new();

/// [`Names::naming`] of the rules file.
pub fn rules_naming(file: &'static File, name: &str) -> Candidates {
    NAMES.get_or_init(|| Names::build(file)).naming(name)
}

#[cfg(test)]
mod tests {
    use super::super::{CommandRule, Pattern};
    use super::*;

    #[test]
    fn more_rules_than_a_rule_set_holds_are_all_candidates() {
        let rules = |n: usize| File {
            rule: (0..n)
                .map(|i| CommandRule {
                    id: format!("r{i}"),
                    severity: "error".to_string(),
                    message: String::new(),
                    help: String::new(),
                    when: vec![Pattern {
                        command: vec![if i % 2 == 0 { "x" } else { "y" }.to_string()],
                        ..Pattern::default()
                    }],
                })
                .collect(),
        };
        let fits = rules(RuleSet::BITS as usize);
        let names = Names::build(&fits);
        let even: Vec<usize> = (0..RuleSet::BITS as usize).step_by(2).collect();
        assert_eq!(names.naming("x").iter().collect::<Vec<_>>(), even);
        assert_eq!(names.naming("z").iter().count(), 0);
        assert!(names.naming("z").is_empty());
        let over = rules(RuleSet::BITS as usize + 1);
        let names = Names::build(&over);
        let every: Vec<usize> = (0..=RuleSet::BITS as usize).collect();
        assert_eq!(names.naming("x").iter().collect::<Vec<_>>(), every);
        assert_eq!(names.naming("z").iter().collect::<Vec<_>>(), every);
        assert!(!names.naming("z").is_empty());
    }
}
