/*
 * ir_unit.h — procedural units: a stored procedure, function, anonymous block or whole script
 * (a BTEQ script, a T-SQL batch file) as an ordered tree of procedural steps around SQL statements.
 *
 * Set-oriented statements inside a unit are ir_stmt (ir_sql.h): the statement's structure with
 * canonical expressions, variables read as job parameters (IR_EX_PARAM named after the variable).
 * A row-by-row loop the frontend lifted to one set-based statement is an IR_PS_SQL step whose
 * `lifted` says from what. What a frontend cannot express is an IR_PS_HOLE step with its text and
 * location: never dropped (docs/ir.md, "Procedural units").
 *
 * Memory: a unit owns an ir_job (`job`) used as its arena and expression factory; the job's params
 * are the unit's parameters and variables (so backends resolve IR_EX_PARAM through it), its nodes
 * are unused. ir_unit_free frees everything.
 */
#ifndef ETLPORT_IR_IR_UNIT_H
#define ETLPORT_IR_IR_UNIT_H

#include "ir/ir.h"
#include "ir/ir_sql.h"

typedef enum {
    IR_UNIT_PROCEDURE,
    IR_UNIT_FUNCTION,
    IR_UNIT_BLOCK,   /* anonymous block (DECLARE .. BEGIN .. END, T-SQL batch of statements) */
    IR_UNIT_SCRIPT   /* a whole script with client control flow (BTEQ .IF/.GOTO, sqlcmd) */
} ir_unit_kind;

typedef enum { IR_PARAM_IN, IR_PARAM_OUT, IR_PARAM_INOUT } ir_param_mode;

typedef struct ir_unit_param {
    const char *name;     /* without @ or : */
    ir_param_mode mode;
    ir_type type;
    ir_expr *default_value; /* NULL when none */
    ir_span span;
} ir_unit_param;

typedef enum {
    IR_VAR_SCALAR,        /* a variable of `type` */
    IR_VAR_ROW,           /* %ROWTYPE / cursor%ROWTYPE / record: `of` names the table or cursor */
    IR_VAR_CURSOR,        /* a cursor: `query` is its SELECT */
    IR_VAR_TABLE,         /* T-SQL table variable / PL/SQL collection: rows of `cols` */
    IR_VAR_EXCEPTION      /* a user-defined exception name */
} ir_var_kind;

typedef struct ir_var {
    const char *name;
    ir_var_kind kind;
    ir_type type;
    const char *type_of;  /* %TYPE / %ROWTYPE source ("emp.sal", "emp"); NULL otherwise */
    bool constant;
    ir_expr *init;        /* NULL when none */
    ir_stmt *query;       /* CURSOR: an IR_ST_QUERY */
    const char **cols;    /* TABLE */
    ir_type *col_types;
    int n_cols;
    ir_span span;
} ir_var;

typedef struct ir_pstmt ir_pstmt;

typedef struct ir_pblock {
    ir_pstmt **stmts;
    int n, cap;
} ir_pblock;

/* Exception handler: WHEN name [OR name] THEN ..., WHEN OTHERS, T-SQL CATCH, DB2 DECLARE HANDLER. */
typedef struct ir_handler {
    const char **conditions; /* exception names / SQLSTATEs as written, upper case; none: any error */
    int n_conditions;
    bool is_continue;        /* DB2 CONTINUE HANDLER: resume after the failing statement */
    ir_pblock body;
    ir_span span;
} ir_handler;

typedef enum {
    IR_PS_SQL,        /* stmt: a set-oriented statement; into_vars: SELECT .. INTO targets */
    IR_PS_DECLARE,    /* var: a declaration in the middle of a body (T-SQL DECLARE) */
    IR_PS_ASSIGN,     /* target := value (SET @x = .., x := .., SELECT @x = .. without FROM) */
    IR_PS_IF,         /* conds[i] / blocks[i] pairs (IF, ELSIF ..), blocks[n_conds] = ELSE when has_else */
    IR_PS_WHILE,      /* WHILE cond LOOP body */
    IR_PS_LOOP,       /* LOOP body END LOOP (leaves by EXIT) */
    IR_PS_FOR_RANGE,  /* FOR var IN [REVERSE] lo..hi LOOP body */
    IR_PS_FOR_QUERY,  /* FOR rec IN (query) | cursor LOOP body: row-by-row, not lifted */
    IR_PS_FORALL,     /* FORALL i IN lo..hi <one DML>: body holds the DML */
    IR_PS_EXIT,       /* EXIT [WHEN cond] / BREAK (cond NULL: always) */
    IR_PS_CONTINUE,   /* CONTINUE [WHEN cond] */
    IR_PS_RETURN,     /* RETURN [value] */
    IR_PS_RAISE,      /* RAISE name / RAISE_APPLICATION_ERROR(code, msg) / THROW / RAISERROR / SIGNAL;
                         name NULL and no value: re-raise the current error */
    IR_PS_BLOCK,      /* a nested BEGIN .. [EXCEPTION handlers] END / BEGIN TRY .. END TRY BEGIN CATCH .. */
    IR_PS_OPEN, IR_PS_FETCH, IR_PS_CLOSE, /* explicit cursor steps (name; FETCH: into_vars, bulk) */
    IR_PS_EXEC,       /* dynamic SQL: EXECUTE IMMEDIATE expr [INTO ..] [USING ..] / EXEC(@sql) / sp_executesql */
    IR_PS_CALL,       /* CALL / EXEC proc args */
    IR_PS_BEGIN_TXN, IR_PS_COMMIT, IR_PS_ROLLBACK,
    IR_PS_PRINT,      /* DBMS_OUTPUT.PUT_LINE / PRINT / RAISERROR with severity < 11: value */
    IR_PS_LABEL,      /* BTEQ .LABEL / T-SQL label: name */
    IR_PS_GOTO,       /* BTEQ .GOTO / T-SQL GOTO: name; cond (BTEQ .IF ... THEN .GOTO) or NULL */
    IR_PS_QUIT,       /* BTEQ .QUIT / .EXIT n: value (the return code) or NULL */
    IR_PS_COMMAND,    /* a client command with no effect on data (.SET WIDTH, SET NOCOUNT ON, PROMPT):
                         kept as a comment, text */
    IR_PS_HOLE        /* text, hole_reason: not translated */
} ir_pstmt_kind;

struct ir_pstmt {
    ir_pstmt_kind kind;
    ir_span span;
    const char *text;         /* the legacy text of the step (always set: comments, holes, review) */
    /* SQL, CURSOR queries */
    ir_stmt *stmt;
    const char *lifted;       /* SQL: "cursor FOR loop" ... when lifted from a row-by-row loop */
    const char **into_vars;   /* SQL (SELECT INTO), FETCH, EXEC (INTO) */
    int n_into;
    bool bulk;                /* BULK COLLECT */
    /* DECLARE */
    ir_var *var;
    /* ASSIGN */
    const char *target;       /* variable name (or "rec.field") */
    ir_expr *value;           /* ASSIGN, RETURN, RAISE message, PRINT, EXEC (the SQL text expr), QUIT */
    ir_expr *code;            /* RAISE: error number / SQLSTATE, or NULL */
    /* IF / WHILE / EXIT / CONTINUE / GOTO */
    ir_expr **conds;
    int n_conds;
    ir_pblock *blocks;        /* IF: n_conds (+1 with has_else); WHILE, LOOP, FOR, FORALL and BLOCK
                                 (its steps): blocks[0] */
    bool has_else;
    /* FOR */
    const char *loop_var;     /* index or record name */
    ir_expr *lo, *hi;
    bool reverse;
    const char *cursor;       /* FOR_QUERY over a declared cursor; OPEN/FETCH/CLOSE */
    ir_stmt *query;           /* FOR_QUERY over an inline query */
    /* BLOCK */
    ir_var *vars;             /* declarations of the block */
    int n_vars;
    ir_handler *handlers;
    int n_handlers;
    /* CALL / EXEC / RAISE / LABEL / GOTO; also EXIT / CONTINUE (the loop's label) and loops (their
       label), OPEN / FETCH / CLOSE (the cursor), BEGIN_TXN / ROLLBACK (a savepoint's name) */
    const char *name;         /* procedure, exception, label name */
    ir_expr **args;           /* CALL arguments; EXEC USING binds */
    int n_args;
    const char **arg_names;   /* CALL: the parameter each argument is passed to by name (`p => v`,
                                 T-SQL `@p = v`), NULL for one passed by position; parallel to args */
    const char **arg_outs;    /* CALL: the caller's variable an OUT argument (T-SQL OUTPUT) is read
                                 back into, or NULL; parallel to args. into_vars: the return value */
    const char *hole_reason;  /* HOLE */
};

typedef struct ir_unit {
    ir_job *job;              /* arena, expression factory, params = parameters and variables */
    ir_unit_kind kind;
    const char *name;         /* procedure / function name, or the script's base name */
    const char *dialect;      /* "oracle", "tsql", "teradata", "db2", "netezza" */
    const char *file;
    ir_span span;
    ir_unit_param *params;
    int n_params, cap_params;
    ir_type returns;          /* FUNCTION */
    ir_pstmt body;            /* an IR_PS_BLOCK: declarations, steps, handlers */
} ir_unit;

ir_unit *ir_unit_new(ir_unit_kind kind, const char *name);
void ir_unit_free(ir_unit *u);
ir_pstmt *ir_pstmt_new(ir_unit *u, ir_pstmt_kind kind, ir_span span, const char *text);
void ir_pblock_add(ir_unit *u, ir_pblock *b, ir_pstmt *s);
ir_unit_param *ir_unit_add_param(ir_unit *u, const char *name, ir_param_mode mode, ir_type type);
ir_var *ir_pstmt_add_var(ir_unit *u, ir_pstmt *block, const char *name, ir_var_kind kind);

const char *ir_pstmt_kind_name(ir_pstmt_kind k);
const char *ir_unit_kind_name(ir_unit_kind k);   /* "procedure", "function", "block", "script" */
const char *ir_param_mode_name(ir_param_mode m); /* "in", "out", "inout" */

/* ---- construction helpers (additions to the contract above) ---- */

/* A variable not attached to a block (the var of an IR_PS_DECLARE step); scalar, row and table
 * variables are also registered as job params so IR_EX_PARAM resolves. */
ir_var *ir_unit_new_var(ir_unit *u, const char *name, ir_var_kind kind);
/* IF: appends a branch (cond != NULL: IF / ELSIF; NULL: ELSE, sets has_else) and returns its block.
 * Branches with a condition must come before the ELSE. */
ir_pblock *ir_pstmt_add_branch(ir_unit *u, ir_pstmt *s, ir_expr *cond);
/* The body of a loop step (WHILE, LOOP, FOR_RANGE, FOR_QUERY, FORALL): blocks[0], made on first use. */
ir_pblock *ir_pstmt_body(ir_unit *u, ir_pstmt *s);
ir_handler *ir_pstmt_add_handler(ir_unit *u, ir_pstmt *block);
void ir_handler_add_condition(ir_unit *u, ir_handler *h, const char *cond);
void ir_pstmt_add_into(ir_unit *u, ir_pstmt *s, const char *var);
void ir_pstmt_add_arg(ir_unit *u, ir_pstmt *s, ir_expr *arg);
/* A CALL argument passed to parameter `name` (NULL: by position), read back into variable out_var
 * when it is an OUT argument (NULL: not). */
void ir_pstmt_add_call_arg(ir_unit *u, ir_pstmt *s, const char *name, ir_expr *arg, const char *out_var);
/* Whether CALL step s passes any argument by name / reads any back. */
bool ir_pstmt_has_named_args(const ir_pstmt *s);
bool ir_pstmt_has_out_args(const ir_pstmt *s);
/* Why CALL step s has no form in the targets, or NULL. Snowflake's CALL passes every argument by
 * name or every one by position; a migrated procedure returns its OUT parameters keyed by their
 * names, so an OUT argument is read back by its parameter's name, and a call cannot read both a
 * return value and OUT arguments. */
const char *ir_pstmt_call_unmapped(const ir_pstmt *s);

/* The declaration of name (case-insensitive) in s or under it: block variables and mid-body
 * DECLAREs, in branches, loop bodies and handlers; NULL when none. */
const ir_var *ir_pstmt_find_var(const ir_pstmt *s, const char *name);
/* Whether pred holds for s or for a step under it (in branches, loop bodies and handlers). */
bool ir_pstmt_any(const ir_pstmt *s, bool (*pred)(const ir_pstmt *s, const void *ud), const void *ud);
/* Whether fn (an ir_expr_visit callback) holds for an expression of s itself: its value, code, a
 * declared variable's initial value and its conditions (not the steps under it). */
bool ir_pstmt_own_exprs_any(const ir_pstmt *s, bool (*fn)(struct ir_expr *e, void *ud), void *ud);

/* Steps of the unit, nested ones included (the body block itself not counted). */
int ir_unit_count_steps(const ir_unit *u);
/* Steps that are not translated: IR_PS_HOLE steps and SQL steps whose statement is an IR_ST_HOLE.
 * A unit without them is converted (expression holes inside steps are counted by ir_unit_holes). */
int ir_unit_hole_steps(const ir_unit *u);

/* Holes of the unit (IR_PS_HOLE steps and expression holes, statements' holes), in order.
 * Returns the count. Kinds: "procedural" for steps, "expression", "sql" for statements. */
int ir_unit_holes(const ir_unit *u, ir_hole_fn fn, void *userdata);
/* Indented text form, for tests and review: one step a line, expressions canonical. */
void ir_unit_to_text(strbuf *sb, const ir_unit *u);
/* JSON (deterministic; statements as their canonical text and legacy text). Write-only for now. */
void ir_unit_to_json(const ir_unit *u, strbuf *out);

/* ---- control-flow shapes the emitters share ---- */

/* The index of LABEL name in b at or after from, or -1. */
int ir_pblock_label_index(const ir_pblock *b, const char *name, int from);
/* A GOTO, conditional or not, or `IF cond THEN GOTO label END IF` (how BTEQ's `.IF ... THEN
 * .GOTO` may arrive): the jump (*cond its condition, NULL when none), or NULL. */
const ir_pstmt *ir_pstmt_as_goto(const ir_pstmt *s, const ir_expr **cond);
/* Whether the steps after label index l up to the first QUIT or RETURN hold no label or jump
 * (a section a jump can be written in place of); *end is that step's index. */
bool ir_pblock_terminal_section(const ir_pblock *b, int l, int *end);
/* BTEQ's error exit: when every `.IF ERRORCODE ... THEN .GOTO L` of a script's top level jumps
 * to the same label and L's section ends the script, the index of L (else -1); *end its last
 * step. The emitters make that section the script's exception handler. */
int ir_unit_error_exit_label(const ir_unit *u, int *end);
/* Appends the legacy text of b's steps, each on a new line indented by 4 * depth, a nested
 * block's steps inside it (for a hole that stands for steps not translated, e.g. a handler's). */
void ir_pblock_legacy_text(strbuf *sb, const ir_pblock *b, int depth);

#endif
