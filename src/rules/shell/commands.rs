//! The command rules of `rules/commands.toml` and the one matcher that runs them.

use super::{Cmd, Context, command_span, via};
use crate::diagnostic::{Diagnostic, Severity};
use crate::shell::command::Command;
use serde::Deserialize;
use std::borrow::Cow;
use std::sync::OnceLock;

pub const SOURCE: &str = include_str!("../../../rules/commands.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub rule: Vec<CommandRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandRule {
    pub id: String,
    pub severity: String,
    pub message: String,
    pub help: String,
    pub when: Vec<Pattern>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    #[serde(default)]
    pub command: Vec<String>,
    pub command_prefix: Option<String>,
    #[serde(default)]
    pub sub: Vec<String>,
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub not_flags: Vec<String>,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub not_args: Vec<String>,
    pub severity: Option<String>,
    pub message: Option<String>,
}

static RULES: OnceLock<Result<File, String>> = OnceLock::new();

/// The parsed rules file (an error names what is wrong; the registry tests require `Ok`).
pub fn parsed() -> &'static Result<File, String> {
    RULES.get_or_init(|| toml::from_str::<File>(SOURCE).map_err(|e| e.to_string()))
}

/// An argument as the patterns read it: its literal value, or its text as written when it
/// has an expansion.
type Arg<'w> = Cow<'w, str>;

/// Is `arg` the flag `alt` (`-f` also inside `-fdx`, `--force` also as `--force=…`)?
fn flag_is(arg: &str, alt: &str) -> bool {
    if arg == alt {
        return true;
    }
    if alt.starts_with("--") || alt.len() > 2 {
        return arg
            .strip_prefix(alt)
            .is_some_and(|rest| rest.starts_with('='));
    }
    let Some(letter) = alt.strip_prefix('-').and_then(|l| l.chars().next()) else {
        return false;
    };
    arg.len() > 1
        && arg.starts_with('-')
        && !arg.starts_with("--")
        && arg[1..].chars().all(|c| c.is_ascii_alphabetic())
        && arg[1..].contains(letter)
}

fn any_flag(args: &[Arg], entry: &str) -> bool {
    entry
        .split('|')
        .any(|alt| args.iter().any(|a| flag_is(a, alt)))
}

/// Glob with `*` and `?`, ASCII case-insensitive. Walks both strings by byte offset, a
/// char at a time (no copy of either).
pub fn glob(pat: &str, s: &str) -> bool {
    fn at(x: &str, i: usize) -> Option<char> {
        x.get(i..)
            .and_then(|r| r.chars().next())
            .map(|c| c.to_ascii_lowercase())
    }
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while let Some(tc) = at(s, ti) {
        let pc = at(pat, pi);
        if pc == Some('\\') && at(pat, pi + 1) == Some(tc) {
            pi += 1 + tc.len_utf8();
            ti += tc.len_utf8();
        } else if let Some(c) = pc.filter(|&c| c == '?' || c == tc) {
            pi += c.len_utf8();
            ti += tc.len_utf8();
        } else if pc == Some('*') {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += at(s, mark).map_or(1, char::len_utf8);
            ti = mark;
        } else {
            return false;
        }
    }
    while at(pat, pi) == Some('*') {
        pi += 1;
    }
    pi == pat.len()
}

fn arg_matching<'a>(args: &'a [Arg], entry: &str) -> Option<&'a str> {
    args.iter()
        .find(|a| entry.split('|').any(|alt| glob(alt, a)))
        .map(|a| a.as_ref())
}

/// `sub` words in order; between them only options and their values.
fn sub_matches(args: &[Arg], sub: &[String]) -> bool {
    let mut k = 0;
    for want in sub {
        loop {
            let Some(a) = args.get(k) else { return false };
            let a = a.as_ref();
            if want
                .split('|')
                .any(|alt| alt == a || (alt.contains('*') && glob(alt, a)))
            {
                k += 1;
                break;
            }
            let is_option = a.starts_with('-');
            let after_option = k > 0 && args[k - 1].starts_with('-') && !args[k - 1].contains('=');
            if !(is_option || after_option) {
                return false;
            }
            k += 1;
        }
    }
    true
}

impl Pattern {
    fn matches<'a>(&self, name: &str, args: &'a [Arg]) -> Option<Option<&'a str>> {
        let named = self.command.iter().any(|c| c == name)
            || self
                .command_prefix
                .as_deref()
                .is_some_and(|p| name.starts_with(p));
        if !named || !sub_matches(args, &self.sub) {
            return None;
        }
        if !self.flags.iter().all(|f| any_flag(args, f)) {
            return None;
        }
        if self.not_flags.iter().any(|f| any_flag(args, f)) {
            return None;
        }
        let mut first = None;
        for entry in &self.args {
            let m = arg_matching(args, entry)?;
            first.get_or_insert(m);
        }
        if self
            .not_args
            .iter()
            .any(|e| arg_matching(args, e).is_some())
        {
            return None;
        }
        Some(first)
    }
}

/// The command as written, shortened for a message.
fn display(cmd: &Command) -> String {
    let mut s = String::new();
    for w in &cmd.words {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w.src.text.trim());
        if s.chars().count() > 70 {
            let cut: String = s.chars().take(67).collect();
            return format!("{cut}…");
        }
    }
    s
}

#[path = "commands_names.rs"]
mod names;
pub use names::Candidates;

/// The rules of the file that have a pattern naming a command called `name` (none when the
/// file does not parse).
pub fn rules_naming(name: &str) -> Candidates {
    match parsed() {
        Ok(file) => names::rules_naming(file, name),
        Err(_) => Candidates::default(),
    }
}

pub fn check(cmd: &Cmd, ctx: &Context, out: &mut Vec<Diagnostic>) {
    // (the candidates were read with the command's name: most commands have none)
    let candidates = cmd.command_rules();
    if candidates.is_empty() {
        return;
    }
    let Ok(file) = parsed() else { return };
    let Some(name) = cmd.name() else { return };
    check_rules(file, candidates.iter(), name, cmd, ctx, out);
}

/// [`check`] with the rules `candidates` (indices into `file.rule`, in file order).
pub(crate) fn check_rules(
    file: &File,
    candidates: impl Iterator<Item = usize>,
    name: &str,
    cmd: &Cmd,
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
) {
    let mut candidates = candidates.peekable();
    if candidates.peek().is_none() {
        return;
    }
    // expansions as written: `of=/dev/$DEV` can match `of=/dev/*$*`
    // (borrowed from the words: a copy only of a literal in several parts)
    let args: Vec<Arg> = cmd
        .args()
        .iter()
        .map(|w| w.lit_cow().unwrap_or(Cow::Borrowed(w.src.text.as_str())))
        .collect();
    for rule in candidates.filter_map(|i| file.rule.get(i)) {
        let Some((pat, m)) = rule
            .when
            .iter()
            .find_map(|p| p.matches(name, &args).map(|m| (p, m)))
        else {
            continue;
        };
        // the work was stashed first (`git stash -u; git reset --hard`): nothing is lost
        if rule.id == "git-discard"
            && ctx
                .state
                .stashed
                .is_some_and(|untracked| untracked || !pat.sub.iter().any(|s| s == "clean"))
        {
            continue;
        }
        let text = display(cmd);
        let msg = pat
            .message
            .as_deref()
            .unwrap_or(&rule.message)
            .replace("{cmd}", &text)
            .replace("{match}", m.unwrap_or(""));
        let mut d = Diagnostic::new(&rule.id, command_span(cmd), format!("{msg}{}", via(cmd)))
            .help(rule.help.clone());
        if let Some(sev) = pat.severity.as_deref().and_then(Severity::parse) {
            d = d.severity(sev);
        }
        out.push(d);
    }
}

#[cfg(test)]
#[path = "commands_glob_tests.rs"]
mod glob_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::shell::testing::{fires, silent};
    use crate::rules::{Check, RULES, meta};

    #[test]
    fn the_rules_file_parses_and_matches_the_registry() {
        let file = match parsed() {
            Ok(f) => f,
            Err(e) => panic!("rules/commands.toml: {e}"),
        };
        for r in &file.rule {
            let m = meta(&r.id).unwrap_or_else(|| panic!("{} is not registered", r.id));
            assert_eq!(
                m.severity.as_str(),
                r.severity,
                "severity of {} differs from its doc",
                r.id
            );
            assert!(
                matches!(
                    RULES.iter().find(|x| x.id == r.id).map(|x| x.check),
                    Some(Check::Command)
                ),
                "{} must be registered as Check::Command",
                r.id
            );
            assert!(!r.when.is_empty(), "{} has no pattern", r.id);
            for p in &r.when {
                assert!(
                    !p.command.is_empty() || p.command_prefix.is_some(),
                    "{}: pattern without command",
                    r.id
                );
                if let Some(s) = &p.severity {
                    assert!(Severity::parse(s).is_some(), "{}: bad severity {s}", r.id);
                }
            }
        }
        for r in RULES {
            if matches!(r.check, Check::Command) {
                assert!(
                    file.rule.iter().any(|x| x.id == r.id),
                    "{} is registered as a command rule but not in rules/commands.toml",
                    r.id
                );
            }
        }
    }

    #[test]
    fn the_name_index_gives_every_rule_with_a_pattern_naming_the_command() {
        let Ok(file) = parsed() else {
            panic!("rules/commands.toml does not parse")
        };
        let mut names: Vec<String> = file
            .rule
            .iter()
            .flat_map(|r| &r.when)
            .flat_map(|p| p.command.clone())
            .collect();
        names.extend(
            [
                "mkfs.ext4",
                "mkfs",
                "mkf",
                "rm",
                "",
                "gitx",
                "gi",
                "/usr/bin/git",
                "Git",
            ]
            .map(String::from),
        );
        for name in &names {
            let want: Vec<usize> = (0..file.rule.len())
                .filter(|&i| {
                    file.rule[i].when.iter().any(|p| {
                        p.command.iter().any(|c| c == name)
                            || p.command_prefix
                                .as_deref()
                                .is_some_and(|x| name.starts_with(x))
                    })
                })
                .collect();
            assert_eq!(
                rules_naming(name).iter().collect::<Vec<_>>(),
                want,
                "{name}"
            );
        }
        assert!(rules_naming("git").iter().count() > 1);
        assert!(rules_naming("echo").is_empty());
    }

    #[test]
    fn flags_and_globs() {
        assert!(flag_is("-fdx", "-f"));
        assert!(flag_is("--force=true", "--force"));
        assert!(!flag_is("--force-with-lease", "--force"));
        assert!(!flag_is("-auto-approve", "-a"));
        assert!(glob("*:main", "HEAD:main"));
        assert!(glob("of=/dev/*", "of=/dev/sda"));
        assert!(!glob("main", "maintenance"));
        assert!(glob("/\\*", "/*"));
        assert!(!glob("/\\*", "/var"));
    }

    #[test]
    fn vectors() {
        fires("terraform-destroy", "terraform destroy -auto-approve");
        fires("terraform-destroy", "terraform -chdir=infra destroy");
        fires(
            "terraform-destroy",
            "terraform apply -destroy -auto-approve",
        );
        silent("terraform-destroy", "terraform plan");
        silent("terraform-destroy", "terraform apply -auto-approve");
        fires("kubectl-delete", "kubectl delete namespace prod");
        fires("kubectl-delete", "kubectl -n prod delete pods --all");
        fires("kubectl-delete", "kubectl delete pvc data-0");
        silent("kubectl-delete", "kubectl delete pod x");
        silent("kubectl-delete", "kubectl get ns");
        fires("dropdb", "dropdb -h db prod");
        fires("redis-flush", "redis-cli -h cache FLUSHALL");
        fires("redis-flush", "redis-cli flushdb");
        silent("redis-flush", "redis-cli get flushall_count");
        fires("s3-delete", "aws s3 rm s3://bucket/ --recursive");
        fires("s3-delete", "aws --profile prod s3 rb s3://bucket --force");
        fires("s3-delete", "gsutil -m rm -r gs://bucket/data");
        silent("s3-delete", "aws s3 rm s3://bucket/one.txt");
        silent("s3-delete", "aws s3 rm s3://bucket/ --recursive --dryrun");
        fires("git-force-push", "git push --force origin main");
        fires("git-force-push", "git push -f");
        fires("git-force-push", "git push origin +main");
        silent(
            "git-force-push",
            "git push --force-with-lease origin feature",
        );
        silent("git-force-push", "git push origin main");
        silent("git-force-push", "git commit -m push -f");
        fires("git-discard", "git reset --hard origin/main");
        fires("git-discard", "git clean -fdx");
        silent("git-discard", "git clean -n");
        silent("git-discard", "git reset --soft HEAD~1");
        // stashed first: nothing uncommitted is left to lose
        silent("git-discard", "git stash\ngit reset --hard origin/main");
        silent(
            "git-discard",
            "if ! git -c user.name=x stash save --include-untracked -q; then exit 1; fi\ngit reset --hard\ngit clean -fd",
        );
        // near misses: untracked files were not stashed; the stash was popped again
        fires("git-discard", "git stash\ngit clean -fd");
        fires("git-discard", "git stash\ngit stash pop\ngit reset --hard");
        fires("git-discard", "git stash list\ngit reset --hard");
        fires("disk-wipe", "dd if=/dev/zero of=/dev/sda bs=1M");
        fires("disk-wipe", "mkfs.ext4 /dev/sdb1");
        fires("disk-wipe", "wipefs -a /dev/sdb");
        fires("disk-wipe", "shred -n 3 /dev/sdb");
        silent("disk-wipe", "dd if=/dev/sda of=/dev/null");
        silent("disk-wipe", "dd if=in.img of=out.img");
        silent("disk-wipe", "shred secret.txt");
        fires("disk-wipe", "dd if=/dev/zero of=/dev/$DEV bs=1M");
        fires("disk-wipe", "shred -n 1 /dev/$DISK");
        fires("disk-wipe", "sgdisk --zap-all /dev/sda");
        fires("disk-wipe", "sgdisk -o $DEV");
        fires("disk-wipe", "sgdisk -d 2 /dev/sda");
        silent("disk-wipe", "sgdisk -i 1 /dev/sda");
        silent("disk-wipe", "sgdisk -e /dev/sda");
        silent("disk-wipe", "sgdisk -p /dev/sda");
        silent("disk-wipe", "blkid /dev/sda1");
        silent("disk-wipe", "lsblk -f /dev/$DEV");
        silent("disk-wipe", "dd if=/dev/$DEV of=disk.img");
        fires("disk-wipe", "STD=silent\n$STD mkfs.ext4 /dev/sdb1");
        fires(
            "disk-wipe",
            "run_logged() { \"$@\" >>log; }\nrun_logged mkfs.fat -F32 /dev/loop0p1",
        );
        silent("chmod-world", "chmod -R 777 /var/cache/myapp");
        fires("chmod-world", "chmod -R 777 /*");
        fires("chmod-world", "chmod -R 777 /");
        fires("chmod-world", "sudo chmod -R a+rwx /etc");
        silent("chmod-world", "chmod 777 /tmp/x");
        silent("chmod-world", "chmod -R 755 /var/www");
        fires("docker-prune", "docker system prune -a --volumes -f");
        fires("docker-prune", "docker volume prune -f");
        fires("docker-prune", "docker compose down -v");
        silent("docker-prune", "docker system prune -f");
        silent("docker-prune", "docker compose down");
    }

    #[test]
    fn orm_clis_that_reset_the_database() {
        for cmd in [
            "prisma migrate reset --force",
            "npx prisma migrate reset",
            "yarn dlx prisma db push --accept-data-loss",
            "prisma db push --force-reset",
            "rails db:drop",
            "bin/rails db:create db:schema:load",
            "bundle exec rake db:reset",
            "php artisan migrate:fresh --seed",
            "php ./artisan db:wipe --force",
            "knex migrate:rollback --all",
            "./manage.py flush --no-input",
            "python3 src/manage.py flush",
            "uv run python manage.py reset_db --noinput",
            "alembic -c db/alembic.ini downgrade base",
            "flask db downgrade base",
            "npx typeorm-ts-node-commonjs schema:drop -d src/data-source.ts",
        ] {
            fires("orm-reset", cmd);
        }
        for cmd in [
            "prisma migrate deploy",
            "prisma migrate dev",
            "prisma db push",
            "rails db:migrate",
            "rake db:rollback",
            "rails db:seed",
            "php artisan migrate --force",
            "knex migrate:rollback",
            "python manage.py migrate",
            "python manage.py sqlflush",
            "python flush.py manage.py",
            "alembic downgrade -1",
            "alembic downgrade base --sql",
            "typeorm migration:revert",
            "pnpm run build",
        ] {
            silent("orm-reset", cmd);
        }
    }

    #[test]
    fn orm_reset_severity_follows_the_prompt() {
        let sev = |cmd: &str| {
            crate::check::shell::check(cmd, crate::source::Dialect::Postgres)
                .into_iter()
                .find(|d| d.rule == "orm-reset")
                .map(|d| d.severity)
        };
        assert_eq!(sev("prisma migrate reset -f"), Some(Severity::Error));
        assert_eq!(sev("prisma migrate reset"), Some(Severity::Warning));
        assert_eq!(
            sev("python manage.py flush --noinput"),
            Some(Severity::Error)
        );
        assert_eq!(sev("python manage.py flush"), Some(Severity::Warning));
        assert_eq!(
            sev("php artisan migrate:fresh --force"),
            Some(Severity::Error)
        );
        assert_eq!(sev("php artisan migrate:fresh"), Some(Severity::Warning));
    }

    /// Datastores (issue 16, item 4).
    #[test]
    fn datastore_vectors() {
        fires("mongo-drop", "mongosh --eval 'db.dropDatabase()'");
        fires("mongo-drop", "mongo app --eval \"db.users.drop()\"");
        fires(
            "mongo-drop",
            "mongosh \"$URI\" --quiet --eval 'db.sessions.deleteMany({})'",
        );
        fires("mongo-drop", "mongo --eval 'db.logs.remove({})'");
        silent("mongo-drop", "mongosh --eval 'db.users.find()'");
        silent(
            "mongo-drop",
            "mongosh --eval 'db.s.deleteMany({expired: true})'",
        );
        silent(
            "mongo-drop",
            "mongosh --eval 'db.users.dropIndex(\"email_1\")'",
        );
        silent("mongo-drop", "mongodump --db app");
        fires(
            "cloud-db-delete",
            "aws rds delete-db-cluster --db-cluster-identifier prod --skip-final-snapshot",
        );
        fires(
            "cloud-db-delete",
            "aws --region eu-west-1 rds delete-db-instance --db-instance-identifier x --final-db-snapshot-identifier x-final",
        );
        fires(
            "cloud-db-delete",
            "aws dynamodb delete-table --table-name Users",
        );
        fires(
            "cloud-db-delete",
            "gcloud sql instances delete prod-db --quiet",
        );
        fires(
            "cloud-db-delete",
            "az sql db delete -g rg -s srv -n appdb --yes",
        );
        silent("cloud-db-delete", "aws rds describe-db-instances");
        silent(
            "cloud-db-delete",
            "aws dynamodb delete-item --table-name Users --key k",
        );
        silent("cloud-db-delete", "gcloud sql instances list");
        fires("helm-uninstall", "helm uninstall web -n prod");
        fires("helm-uninstall", "helm --kube-context prod delete web");
        silent("helm-uninstall", "helm list");
        silent("helm-uninstall", "helm uninstall web --dry-run");
        silent("helm-uninstall", "helm upgrade --install web ./chart");
        fires("crontab-remove", "crontab -r");
        fires("crontab-remove", "crontab -u www-data -r");
        silent("crontab-remove", "crontab -l");
        silent("crontab-remove", "crontab -ri");
        silent("crontab-remove", "crontab jobs.cron");
        fires("etcd-delete", "etcdctl del /registry --prefix");
        fires(
            "etcd-delete",
            "etcdctl --endpoints=http://e:2379 del \"\" --from-key",
        );
        silent("etcd-delete", "etcdctl del /config/feature-x");
        silent("etcd-delete", "etcdctl get /registry --prefix --keys-only");
        fires(
            "kafka-topic-delete",
            "kafka-topics --bootstrap-server k:9092 --delete --topic orders",
        );
        fires(
            "kafka-topic-delete",
            "kafka-topics.sh --delete --topic t --bootstrap-server k:9092",
        );
        silent(
            "kafka-topic-delete",
            "kafka-topics --list --bootstrap-server k:9092",
        );
        fires(
            "elasticsearch-delete",
            "curl -X DELETE http://localhost:9200/logs-2024",
        );
        fires(
            "elasticsearch-delete",
            "curl -XDELETE 'es.internal:9200/_all'",
        );
        fires(
            "elasticsearch-delete",
            "curl -s --request DELETE https://elasticsearch.prod/users/",
        );
        silent(
            "elasticsearch-delete",
            "curl -X DELETE http://localhost:9200/logs/_doc/1",
        );
        silent("elasticsearch-delete", "curl http://localhost:9200/logs");
        silent(
            "elasticsearch-delete",
            "curl -X DELETE https://api.example.com/users/42",
        );
        silent(
            "elasticsearch-delete",
            "curl -X DELETE localhost:9200/_search/scroll -d @id.json",
        );
    }
}
