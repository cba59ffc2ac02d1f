#!/usr/bin/env python3
"""dagrun.py — loads generated DAG modules in an Airflow-shaped stand-in and exercises them.

    dagrun.py [--no-artifacts] DAG.py...

Airflow is not installed where the tests run, and py_compile only proves a module parses. This
script puts minimal stand-ins for the Airflow modules a generated DAG imports into sys.modules
(written here, with the constructor arguments docs/airflow.md relies on), then for every DAG:
  - runs the module: every name it uses is defined, operators get only arguments they take,
    task_ids are unique, trigger rules are Airflow's, dependencies name tasks or groups;
  - renders every templated field with Jinja2 (StrictUndefined) in a run-like context, and the SQL
    files SQLExecuteQueryOperator loads from template_searchpath: the templates parse, and the
    artifacts they name exist;
  - calls every Python callable (decisions, link gates, assignments, holes, control tasks) with a
    fake context: a decision returns only ids of its direct downstream tasks; a gate returns or
    raises AirflowSkipException; a hole raises AirflowFailException; nothing else raises.
Prints `DAG.py: error: ...` per problem and a summary; exit status 1 when any DAG has problems.
"""
import datetime as _dt
import inspect
import os
import runpy
import sys
import types

import jinja2

TRIGGER_RULES = {
    "all_success", "all_failed", "all_done", "all_done_setup_success", "all_skipped", "one_success",
    "one_failed", "one_done", "none_failed", "none_failed_min_one_success", "none_skipped", "always",
}
BASE_ARGS = {"task_id", "trigger_rule", "retries", "retry_delay", "execution_timeout", "params", "doc_md"}
# operator -> (arguments it takes besides BASE_ARGS, templated fields)
OPERATORS = {
    "EmptyOperator": (set(), ()),
    "BashOperator": ({"bash_command", "env"}, ("bash_command", "env")),
    "PythonOperator": ({"python_callable", "op_args", "op_kwargs"}, ()),
    "BranchPythonOperator": ({"python_callable", "op_args", "op_kwargs"}, ()),
    "EmailOperator": ({"to", "subject", "html_content", "files"}, ("to", "subject", "html_content")),
    "SparkSubmitOperator": ({"application", "application_args", "name", "conn_id", "conf"},
                            ("application", "application_args", "name", "conf")),
    "SQLExecuteQueryOperator": ({"conn_id", "sql", "split_statements", "parameters", "return_last"}, ("sql",)),
    "SparkSqlOperator": ({"sql", "conn_id", "conf", "name"}, ("sql",)),
    "DateTimeSensor": ({"target_time", "mode", "poke_interval", "timeout"}, ("target_time",)),
    "FileSensor": ({"filepath", "fs_conn_id", "mode", "poke_interval", "timeout"}, ("filepath",)),
}
DAG_ARGS = {"dag_id", "description", "schedule", "start_date", "end_date", "catchup", "max_active_runs",
            "template_searchpath", "tags", "params", "default_args"}


class Problems(list):
    def add(self, msg):
        self.append(msg)


state = types.SimpleNamespace(dag=None, groups=[], problems=Problems(), variables={})


class AirflowFailException(Exception):
    pass


class AirflowSkipException(Exception):
    pass


class Param:
    def __init__(self, default=None, type=None, description=None, **kw):
        self.default = default


class Variable:
    @staticmethod
    def get(key, default_var=None, deserialize_json=False):
        return state.variables.get(key, default_var)

    @staticmethod
    def set(key, value, serialize_json=False):
        state.variables[key] = value


class Node:
    """What `>>` and `<<` accept: a task or a TaskGroup."""

    def ids(self):
        raise NotImplementedError

    def __rshift__(self, other):
        link(self, other)
        return other

    def __lshift__(self, other):
        link(other, self)
        return other

    def __rrshift__(self, other):
        link(other, self)
        return self

    def __rlshift__(self, other):
        link(self, other)
        return self


def nodes_of(x):
    if isinstance(x, (list, tuple)):
        return [n for item in x for n in nodes_of(item)]
    if isinstance(x, Node):
        return [x]
    state.problems.add(f"a dependency on {x!r}, which is no task")
    return []


def link(a, b):
    for x in nodes_of(a):
        for y in nodes_of(b):
            for up in x.leaves():
                for down in y.roots():
                    up.downstream.add(down.task_id)
                    down.upstream.add(up.task_id)


class Operator(Node):
    def __init__(self, **kw):
        cls = type(self).__name__
        allowed, self.template_fields = OPERATORS[cls]
        for k in kw:
            if k not in BASE_ARGS and k not in allowed:
                state.problems.add(f"{cls} does not take {k}=")
        if "task_id" not in kw:
            state.problems.add(f"{cls} without task_id")
        rule = kw.get("trigger_rule", "all_success")
        if rule not in TRIGGER_RULES:
            state.problems.add(f"{kw.get('task_id')}: unknown trigger rule {rule!r}")
        prefix = "".join(g.group_id + "." for g in state.groups)
        self.task_id = prefix + kw.get("task_id", "?")
        self.kw = kw
        self.trigger_rule = rule
        self.upstream, self.downstream = set(), set()
        self.group = state.groups[-1] if state.groups else None
        if state.dag is None:
            state.problems.add(f"{self.task_id}: defined outside a DAG")
        elif self.task_id in state.dag.tasks:
            state.problems.add(f"task_id {self.task_id} defined twice")
        else:
            state.dag.tasks[self.task_id] = self
        for g in state.groups:
            g.members.append(self)

    def roots(self):
        return [self]

    def leaves(self):
        return [self]


class TaskGroup(Node):
    def __init__(self, group_id, **kw):
        self.group_id = group_id
        self.members = []

    def __enter__(self):
        state.groups.append(self)
        return self

    def __exit__(self, *exc):
        state.groups.pop()
        return False

    def roots(self):
        ids = {m.task_id for m in self.members}
        return [m for m in self.members if not (m.upstream & ids)]

    def leaves(self):
        ids = {m.task_id for m in self.members}
        return [m for m in self.members if not (m.downstream & ids)]


class DAG:
    def __init__(self, **kw):
        for k in kw:
            if k not in DAG_ARGS:
                state.problems.add(f"DAG does not take {k}=")
        self.kw = kw
        self.dag_id = kw.get("dag_id")
        self.params = kw.get("params", {})
        self.tasks = {}

    def __enter__(self):
        state.dag = self
        return self

    def __exit__(self, *exc):
        return False


def install_stubs():
    def module(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        sys.modules[name] = m
        return m

    ops = {name: type(name, (Operator,), {}) for name in OPERATORS}
    module("airflow", DAG=DAG)
    module("airflow.exceptions", AirflowFailException=AirflowFailException, AirflowSkipException=AirflowSkipException)
    module("airflow.models", Variable=Variable)
    module("airflow.models.param", Param=Param)
    module("airflow.operators")
    module("airflow.operators.bash", BashOperator=ops["BashOperator"])
    module("airflow.operators.email", EmailOperator=ops["EmailOperator"])
    module("airflow.operators.empty", EmptyOperator=ops["EmptyOperator"])
    module("airflow.operators.python", PythonOperator=ops["PythonOperator"],
           BranchPythonOperator=ops["BranchPythonOperator"])
    for name in ("airflow.providers", "airflow.providers.apache", "airflow.providers.apache.spark",
                 "airflow.providers.apache.spark.operators", "airflow.providers.common",
                 "airflow.providers.common.sql", "airflow.providers.common.sql.operators", "airflow.sensors",
                 "airflow.utils"):
        module(name)
    module("airflow.providers.apache.spark.operators.spark_submit", SparkSubmitOperator=ops["SparkSubmitOperator"])
    module("airflow.providers.common.sql.operators.sql", SQLExecuteQueryOperator=ops["SQLExecuteQueryOperator"])
    module("airflow.providers.apache.spark.operators.spark_sql", SparkSqlOperator=ops["SparkSqlOperator"])
    module("airflow.sensors.date_time", DateTimeSensor=ops["DateTimeSensor"])
    module("airflow.sensors.filesystem", FileSensor=ops["FileSensor"])
    module("airflow.utils.task_group", TaskGroup=TaskGroup)


START = _dt.datetime(2024, 1, 1, 2, 0, 0, tzinfo=_dt.timezone.utc)


class FakeTI:
    def __init__(self, task_id, xcom):
        self.task_id, self.xcom = task_id, xcom
        self.start_date = START

    def xcom_push(self, key, value):
        self.xcom[(self.task_id, key)] = value

    def xcom_pull(self, task_ids=None, key="return_value"):
        if isinstance(task_ids, (list, tuple)):
            return [self.xcom.get((t, key)) for t in task_ids]
        return self.xcom.get((task_ids, key))


class FakeDagRun:
    start_date = START

    def __init__(self, dag):
        self.dag = dag

    def get_task_instance(self, task_id):
        if task_id not in self.dag.tasks:
            state.problems.add(f"reads task instance {task_id!r}, which is no task")
        return types.SimpleNamespace(state="success", start_date=START, task_id=task_id)

    def get_task_instances(self, state=None):
        return []


class Accessor:
    def __init__(self, json):
        self.json = json

    def get(self, key, default=None):
        return state.variables.get(key, default)


def template_context(dag, task, xcom):
    params = {k: (p.default if isinstance(p, Param) else p) for k, p in dag.params.items()}
    params.update(task.kw.get("params", {}))
    return {
        "params": params, "dag": dag, "dag_run": FakeDagRun(dag), "run_id": "manual__2024-01-01T02:00:00",
        "ti": FakeTI(task.task_id, xcom), "task": task,
        "macros": types.SimpleNamespace(timedelta=_dt.timedelta, datetime=_dt.datetime),
        "var": types.SimpleNamespace(value=Accessor(False), json=Accessor(True)),
    }


def render(env, value, ctx, what):
    if isinstance(value, str):
        try:
            return env.from_string(value).render(**ctx)
        except jinja2.TemplateError as e:
            state.problems.add(f"{what}: template does not render: {e}")
            return value
    if isinstance(value, (list, tuple)):
        return [render(env, v, ctx, what) for v in value]
    if isinstance(value, dict):
        return {k: render(env, v, ctx, what) for k, v in value.items()}
    return value


def exercise(path, check_artifacts):
    state.dag, state.groups, state.problems, state.variables = None, [], Problems(), {}
    try:
        glb = runpy.run_path(path, run_name="dag_under_test")
    except Exception as e:  # the module must run
        state.problems.add(f"the module does not run: {type(e).__name__}: {e}")
        return state.problems
    dag = state.dag
    if dag is None:
        state.problems.add("no DAG defined")
        return state.problems
    root = glb.get("ETLPORT_ROOT", "")
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, loader=jinja2.FileSystemLoader(root))
    xcom = {}
    for task in dag.tasks.values():
        ctx = template_context(dag, task, xcom)
        for field in task.template_fields:
            if field not in task.kw:
                continue
            value = task.kw[field]
            if field == "sql" and isinstance(value, str) and value.endswith(".sql"):
                try:
                    env.get_template(value).render(**ctx)
                except jinja2.TemplateNotFound:
                    if check_artifacts:
                        state.problems.add(f"{task.task_id}: {value} not found under template_searchpath {root}")
                except jinja2.TemplateError as e:
                    state.problems.add(f"{task.task_id}: {value} is not a valid Jinja template: {e}")
                continue
            out = render(env, value, ctx, f"{task.task_id}.{field}")
            if field == "application" and check_artifacts and not os.path.isfile(out):
                state.problems.add(f"{task.task_id}: application {out} does not exist")
    for task in dag.tasks.values():
        fn = task.kw.get("python_callable")
        if fn is None:
            continue
        ctx = template_context(dag, task, xcom)
        hole = getattr(fn, "__name__", "") == "_hole"
        # as PythonOperator does: the whole context for **kwargs, else only the names it declares
        sig = inspect.signature(fn)
        if not any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values()):
            ctx = {k: v for k, v in ctx.items() if k in sig.parameters}
        try:
            result = fn(*task.kw.get("op_args", []), **ctx)
        except AirflowSkipException:
            result = None
        except AirflowFailException:
            continue  # a hole or a control task failing on purpose
        except Exception as e:
            state.problems.add(f"{task.task_id}: the callable raised {type(e).__name__}: {e}")
            continue
        if hole:
            state.problems.add(f"{task.task_id}: a hole that does not fail")
        if type(task).__name__ == "BranchPythonOperator":
            follow = set(result or [])
            if not follow <= task.downstream:
                state.problems.add(f"{task.task_id}: follows {sorted(follow - task.downstream)}, "
                                   f"not direct downstream tasks")
    return state.problems


def main(argv):
    if not argv:
        print("usage: dagrun.py [--no-artifacts] DAG.py...", file=sys.stderr)
        return 2
    check_artifacts = True
    if argv and argv[0] == "--no-artifacts":
        check_artifacts = False
        argv = argv[1:]
    install_stubs()
    bad = 0
    for path in argv:
        problems = exercise(path, check_artifacts)
        for p in problems:
            print(f"{path}: error: {p}", file=sys.stderr)
        bad += bool(problems)
    print(f"dagrun: {len(argv)} DAG{'s' if len(argv) != 1 else ''}, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
