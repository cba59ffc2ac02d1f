#!/usr/bin/env python3
"""gen_mp.py — writes the project's own sample graphs (corpus/abinitio/mp/*.mp) in the EME flatten
format, from the facts in ../shared/abinitio-formats.md §4 (ours; no real graph was copied).

  python3 tests/abinitio/gen_mp.py corpus/abinitio/mp

Shape (reference §4.1-4.4): line 1 `@`; a header record
`{18|Type|XXGrepository|...|eme_flatten_format|1|...|ent_count|E|rel_count|R|}`; entity records
`{<class-id>|<class>|<id>|0|<seq>|0|{<payload>}}`; relation records
`{<class-id>|<relation>|<id>|0|<seq>|0|{<payload>}<from>|<to>|}`; parameters as
`{30001002|XXparameter|<name>|<value>|<type>|<interp>|<flags>|<description>|{0|}}` with `|{}\\`
escaped by a backslash. Class ids the reference does not give are placeholders (9990000xx): the
reader goes by class names. Component instances keep `!prototype_path` and the parameters set; a
prototype per template holds `mpname` where the reference names it. Every flow gets a "same as"
link between the two ports' `<port>_metadata` parameters.
"""
import os
import sys

T = "$AB_COMPONENTS"
# template path, mpname (None where the reference does not give one), description
TEMPLATES = {
    "Input File": (T + "/Datasets/Input_File.mdc", "ifile", "Reads a serial file"),
    "Output File": (T + "/Datasets/Output_File.mdc", "ofile", "Writes a serial file"),
    "Lookup File": (T + "/Datasets/Lookup_File.mdc", None, "A file held in memory for lookups"),
    "Input Table": (T + "/Database/Input_Table.mpc", "itable", "Reads rows from a database table"),
    "Output Table": (T + "/Database/Output_Table.mpc", None, "Loads rows into a database table"),
    "Run SQL": (T + "/Database/Run_SQL.mpc", None, "Runs SQL statements"),
    "Reformat": (T + "/Transform/Reformat.mpc", "reformat-transform", "Changes the record format"),
    "Filter by Expression": (T + "/Transform/Filter_by_Expression.mpc", "select-transform",
                             "Filters records by an expression"),
    "Join": (T + "/Transform/Join.mpc", "?join", "Joins records on a key"),
    "Dedup Sorted": (T + "/Transform/Dedup_Sorted.mpc", "dedup", "Removes duplicate records"),
    "Rollup": (T + "/Transform/Rollup.mpc", "rollup", "Summarises groups of records"),
    "Scan": (T + "/Transform/Scan.mpc", "scan", "Running values per group"),
    "Aggregate": (T + "/Transform/Aggregate.mpc", None, "Summarises groups of records"),
    "Normalize": (T + "/Transform/Normalize.mpc", None, "One record into several"),
    "Denormalize Sorted": (T + "/Transform/Denormalize_Sorted.mpc", None, "Several records into one"),
    "Sort": (T + "/Sort/Sort.mpc", "local-sort", "Sorts records"),
    "Gather": (T + "/Departition/Gather.mpc", None, "Combines flows"),
    "Merge": (T + "/Departition/Merge.mpc", None, "Combines sorted flows"),
    "Concatenate": (T + "/Departition/Concatenate.mpc", None, "Appends flows"),
    "Replicate": (T + "/Partition/Replicate.mpc", None, "Copies a flow"),
    "Partition by Key": (T + "/Partition/Partition_by_Key.mpc", None, "Partitions by key"),
    "Partition by Round-robin": (T + "/Partition/Partition_by_Round-robin.mpc", None, "Deals records"),
    "Partition by Expression": (T + "/Partition/Partition_by_Expression.mpc", None, "Partitions by expression"),
    "Redefine Format": (T + "/Miscellaneous/Redefine_Format.mpc", None, "Renames the record format"),
    "Encrypt Fields": ("$SITE_COMPONENTS/Security/Encrypt_Fields.mpc", None, "A site-specific component"),
}

# metadata-propagation rules of prototypes (§4.4: `_propagation`, e.g. `out = in`)
PROPAGATION = {
    "Sort": "out = in", "Filter by Expression": "out = in\ndeselect = in\nreject = in",
    "Dedup Sorted": "out = in\ndup = in\nreject = in", "Replicate": "out = in", "Partition by Key": "out = in",
    "Partition by Round-robin": "out = in", "Partition by Expression": "out = in", "Gather": "out = in",
    "Merge": "out = in", "Concatenate": "out = in0", "Reformat": "reject0 = in",
}

# type codes (§4.4 [I]) by parameter name
TYPES = {"key": 19, "select_expr": 20, "select": 20, "Layout": 28, "transform": 8, "output_index": 8,
         "join_type": 15, "keep": 15, "reject_threshold": 15, "count": 1}


def esc(v):
    return v.replace("\\", "\\\\").replace("|", "\\|").replace("{", "\\{").replace("}", "\\}")


def ptype(name):
    if name.endswith("_metadata"):
        return 7
    if name.startswith("transform"):
        return 8
    if name.startswith(("record_match_required", "record_required", "dedup")):
        return 13
    return TYPES.get(name, 3)


def param(name, value, interp=None, flags=None, typ=None):
    if interp is None:
        interp, flags = (2, "$") if "$" in value else (1, "l")
    return "{30001002|XXparameter|%s|%s|%d|%d|%s||{0|}}" % (name, esc(value), typ or ptype(name), interp, flags)


class Graph:
    def __init__(self, name):
        self.name = name
        self.ents, self.rels = [], []
        self.next_id = 2
        self.seq = 0
        self.protos = {}
        self.comps = {}
        self.params = []

    def nid(self):
        i = self.next_id
        self.next_id += 1
        return i

    def entity(self, cid, cls, payload, eid=None):
        eid = eid or self.nid()
        self.seq += 1
        self.ents.append("{%s|%s|%d|0|%d|0|{%s}}" % (cid, cls, eid, self.seq, payload))
        return eid

    def relation(self, cid, name, payload, a, b):
        rid = self.nid()
        self.seq += 1
        self.rels.append("{%s|%s|%d|0|%d|0|{%s}%d|%d|}" % (cid, name, rid, self.seq, payload, a, b))

    def vertex(self, cls_id, cls, desc, params, label):
        body = "\n".join(params)
        payload = "%s|{30100001|XXparameter_set|@@@@{%s\n}}@0|0|%s|Ab Initio Software|" % (esc(desc), body, esc(label))
        return self.entity(cls_id, cls, payload)

    def proto(self, kind):
        if kind not in self.protos:
            path, mpname, desc = TEMPLATES[kind]
            ps = [param("mpname", mpname)] if mpname else []
            if kind in ("Reformat", "Filter by Expression", "Join", "Dedup Sorted", "Rollup", "Scan"):
                ps.append("{30001002|XXparameter|reject_threshold|Abort on first reject|15|1|l|"
                          "Reject handling|{3|Abort on first reject|Never abort|Use limit/ramp|}}")
            prop = PROPAGATION.get(kind)
            if prop:
                ps.append(param("_propagation", prop, 1, "l", 3))
            if kind == "Dedup Sorted":
                ps.append("{30001002|XXparameter|keep|first|15|1|l|Which record to keep|{3|first|last|unique-only|}}")
            cls = ("2010503005", "XXGfvertex") if "File" in kind else ("2010501005", "XXGpvertex")
            self.protos[kind] = self.vertex(cls[0], cls[1], desc, ps, kind)
        return self.protos[kind]

    def comp(self, name, kind, params, ins=(), outs=()):
        path = TEMPLATES[kind][0]
        ps = [param("!prototype_path", path, 2, "Pf$", 3)]
        for k, v in params:
            ps.append(param(k, v))
        cls = ("2010503005", "XXGfvertex") if "File" in kind else ("2010501005", "XXGpvertex")
        vid = self.vertex(cls[0], cls[1], "", ps, name)
        self.relation("2010601001", "XXGgraph_vertex_vertex", "%s|" % esc(name), 1, vid)
        self.relation("999000001", "XXGobject_proto_object", "", vid, self.proto(kind))
        ports = {}
        for i, p in enumerate(ins):
            pid = self.entity("2010202004", "XXGiport", "@{}@0|0|%s|" % p)
            self.relation("2010211001", "XXGvertex_iport_iport", "%d|%s|" % (i, p), vid, pid)
            ports[p] = pid
        for i, p in enumerate(outs):
            pid = self.entity("2010203004", "XXGoport", "@{}@0|0|%s|" % p)
            self.relation("999000002", "XXGvertex_oport_oport", "%d|%s|" % (i, p), vid, pid)
            ports[p] = pid
        self.comps[name] = (vid, ports)

    def flow(self, src, dst):
        sc, sp = src.split(".")
        dc, dp = dst.split(".")
        fid = self.entity("2010210004", "XXGflow", "0|0|")
        self.relation("999000003", "XXGoport_dst_flow", "0|", self.comps[sc][1][sp], fid)
        self.relation("2010214001", "XXGiport_src_flow", "0|", self.comps[dc][1][dp], fid)
        self.relation("999000004", "XXGobject_psameas_object", "%s_metadata|%s_metadata|s=|0|" % (dp, sp),
                      self.comps[dc][0], self.comps[sc][0])

    def text(self):
        gp = [param("!ab_compatibility", "3.2.6.7", 1, "l", 3)]
        for n, v, interp, flags in self.params:
            gp.append(param(n, v, interp, flags, 3))
        graph = "{2010600005|XXGgraph|1|0|0|0|{|{30100001|XXparameter_set|@@@@{%s\n}}@0|0|}}" % "\n".join(gp)
        head = ("{18|Type|XXGrepository|Primary_Name|XXGgraph|_ab_object_schema|0|_ab_semantic_schema|1|"
                "eme_flatten_format|1|schema_version|34|root_id|0|ent_count|%d|rel_count|%d|}"
                % (len(self.ents) + 1, len(self.rels)))
        return "@\n" + head + "\n" + graph + "\n" + "\n".join(self.ents + self.rels) + "\n"


D, X = "$AI_DML/", "$AI_XFR/"
EMBEDDED_FILTER_OUT = """record
  decimal("|") order_id;
  decimal("|") cust_id;
  date("YYYYMMDD")("|") order_date;
  decimal("|", 2, maximum_length=13) amount = NULL("");
  string("|", maximum_length=10) region;
  string("\\n") channel;
end;"""


def graphs():
    g = Graph("g01_clean_customers")
    g.comp("Customers", "Input File", [("Layout", "file:${AI_SERIAL}/customers.dat"),
                                       ("read_metadata", D + "customers.dml")], outs=["read"])
    g.comp("Clean_Customers", "Reformat", [("transform0", X + "clean_customers.xfr"),
                                           ("out0_metadata", D + "customers_clean.dml")],
           ins=["in"], outs=["out0", "reject0"])
    g.comp("Clean_File", "Output File", [("Layout", "file:${AI_SERIAL}/customers_clean.dat")], ins=["write"])
    g.flow("Customers.read", "Clean_Customers.in")
    g.flow("Clean_Customers.out0", "Clean_File.write")
    yield g

    g = Graph("g02_filter_orders")
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("Valid_Orders", "Filter by Expression",
           [("select_expr", 'in.amount > 0 && in.region != "TEST"')], ins=["in"], outs=["out", "deselect", "reject"])
    g.comp("Good_Orders", "Output File", [("Layout", "file:${AI_SERIAL}/orders_good.dat"),
                                          ("write_metadata", EMBEDDED_FILTER_OUT)], ins=["write"])
    g.comp("Dropped_Orders", "Output File", [("Layout", "file:${AI_SERIAL}/orders_dropped.dat")], ins=["write"])
    g.flow("Orders.read", "Valid_Orders.in")
    g.flow("Valid_Orders.out", "Good_Orders.write")
    g.flow("Valid_Orders.deselect", "Dropped_Orders.write")
    yield g

    g = Graph("g03_join_customer_orders")
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("Customers", "Input File", [("Layout", "file:${AI_SERIAL}/customers.dat"),
                                       ("read_metadata", D + "customers.dml")], outs=["read"])
    g.comp("Sort_Orders", "Sort", [("key", "{cust_id}")], ins=["in"], outs=["out"])
    g.comp("Sort_Customers", "Sort", [("key", "{cust_id}")], ins=["in"], outs=["out"])
    g.comp("Orders_With_Customer", "Join",
           [("key", "{cust_id}"), ("join_type", "Explicit"), ("record_match_required0", "True"),
            ("record_match_required1", "False"), ("dedup1", "True"), ("transform", X + "join_customer_orders.xfr"),
            ("out_metadata", D + "customer_orders.dml"), ("sorted_input", "True")],
           ins=["in0", "in1"], outs=["out", "unused0", "unused1"])
    g.comp("Customer_Orders", "Output File", [("Layout", "file:${AI_SERIAL}/customer_orders.dat")], ins=["write"])
    g.flow("Orders.read", "Sort_Orders.in")
    g.flow("Customers.read", "Sort_Customers.in")
    g.flow("Sort_Orders.out", "Orders_With_Customer.in0")
    g.flow("Sort_Customers.out", "Orders_With_Customer.in1")
    g.flow("Orders_With_Customer.out", "Customer_Orders.write")
    yield g

    g = Graph("g04_rollup_region")
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("Sort_Region", "Sort", [("key", "{region}")], ins=["in"], outs=["out"])
    g.comp("Region_Totals", "Rollup", [("key", "{region}"), ("transform", X + "region_rollup.xfr"),
                                       ("out_metadata", D + "region_totals.dml")], ins=["in"], outs=["out"])
    g.comp("Totals_File", "Output File", [("Layout", "file:${AI_SERIAL}/region_totals.dat")], ins=["write"])
    g.flow("Orders.read", "Sort_Region.in")
    g.flow("Sort_Region.out", "Region_Totals.in")
    g.flow("Region_Totals.out", "Totals_File.write")
    yield g

    g = Graph("g05_scan_running_total")
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("Sort_Cust_Date", "Sort", [("key", "{cust_id; order_date; order_id}")], ins=["in"], outs=["out"])
    g.comp("Running_Total", "Scan", [("key", "{cust_id}"), ("transform", X + "running_total.xfr"),
                                     ("out_metadata", D + "order_running.dml")], ins=["in"], outs=["out"])
    g.comp("Running_File", "Output File", [("Layout", "file:${AI_SERIAL}/order_running.dat")], ins=["write"])
    g.flow("Orders.read", "Sort_Cust_Date.in")
    g.flow("Sort_Cust_Date.out", "Running_Total.in")
    g.flow("Running_Total.out", "Running_File.write")
    yield g

    g = Graph("g06_dedup_orders")
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("Sort_Latest", "Sort", [("key", "{cust_id; order_date descending}")], ins=["in"], outs=["out"])
    g.comp("Copy", "Replicate", [], ins=["in"], outs=["out"])
    g.comp("Latest_Order", "Dedup Sorted", [("key", "{cust_id}"), ("keep", "first")], ins=["in"],
           outs=["out", "dup"])
    g.comp("Single_Order", "Dedup Sorted", [("key", "{cust_id}"), ("keep", "unique-only")], ins=["in"],
           outs=["out", "dup"])
    g.comp("Latest_File", "Output File", [("Layout", "file:${AI_SERIAL}/latest_order.dat")], ins=["write"])
    g.comp("Single_File", "Output File", [("Layout", "file:${AI_SERIAL}/single_order.dat")], ins=["write"])
    g.flow("Orders.read", "Sort_Latest.in")
    g.flow("Sort_Latest.out", "Copy.in")
    g.flow("Copy.out", "Latest_Order.in")
    g.flow("Copy.out", "Single_Order.in")
    g.flow("Latest_Order.out", "Latest_File.write")
    g.flow("Single_Order.out", "Single_File.write")
    yield g

    g = Graph("g07_combine_flows")
    g.comp("East_Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders_east.dat"),
                                         ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("West_Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders_west.dat"),
                                         ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("Spread", "Partition by Round-robin", [], ins=["in"], outs=["out"])
    g.comp("Collect", "Gather", [], ins=["in"], outs=["out"])
    g.comp("By_Order", "Merge", [("key", "{order_id}")], ins=["in"], outs=["out"])
    g.comp("East_Then_West", "Concatenate", [], ins=["in0", "in1"], outs=["out"])
    g.comp("All_Orders", "Output File", [("Layout", "file:${AI_SERIAL}/orders_all.dat")], ins=["write"])
    g.comp("Merged_Orders", "Output File", [("Layout", "file:${AI_SERIAL}/orders_merged.dat")], ins=["write"])
    g.comp("Appended_Orders", "Output File", [("Layout", "file:${AI_SERIAL}/orders_appended.dat")], ins=["write"])
    g.flow("East_Orders.read", "Spread.in")
    g.flow("Spread.out", "Collect.in")
    g.flow("West_Orders.read", "Collect.in")
    g.flow("East_Orders.read", "By_Order.in")
    g.flow("West_Orders.read", "By_Order.in")
    g.flow("East_Orders.read", "East_Then_West.in0")
    g.flow("West_Orders.read", "East_Then_West.in1")
    g.flow("Collect.out", "All_Orders.write")
    g.flow("By_Order.out", "Merged_Orders.write")
    g.flow("East_Then_West.out", "Appended_Orders.write")
    yield g

    g = Graph("g08_table_extract")
    g.comp("Customer_Table", "Input Table", [("dbc", "$AI_DB/crm.dbc"), ("table", "CRM.CUSTOMER"),
                                             ("read_metadata", D + "customer_table.dml")], outs=["read"])
    g.comp("Extract", "Reformat", [("transform0", X + "customer_extract.xfr"),
                                   ("out0_metadata", D + "customer_extract.dml")], ins=["in"], outs=["out0"])
    g.comp("Sort_Country", "Sort", [("key", "{country; cust_id}"), ("max_core", "100663296")],
           ins=["in"], outs=["out"])
    g.comp("Extract_File", "Output File", [("Layout", "file:${AI_SERIAL}/customer_extract.dat")], ins=["write"])
    g.flow("Customer_Table.read", "Extract.in")
    g.flow("Extract.out0", "Sort_Country.in")
    g.flow("Sort_Country.out", "Extract_File.write")
    yield g

    g = Graph("g09_lookup_and_route")
    g.comp("Products", "Lookup File", [("Layout", "file:${AI_SERIAL}/products.dat"),
                                       ("read_metadata", D + "product.dml"), ("key", "{product_id}")])
    g.comp("Sales", "Input File", [("Layout", "file:${AI_SERIAL}/sales.dat"),
                                   ("read_metadata", D + "sales.dml")], outs=["read"])
    g.comp("Price_Sales", "Reformat", [("transform0", X + "price_sales.xfr"),
                                       ("out0_metadata", D + "sales_out.dml")], ins=["in"], outs=["out0"])
    g.comp("Route_By_Size", "Reformat", [("count", "2"), ("output_index", X + "size_index.xfr")],
           ins=["in"], outs=["out0", "out1"])
    g.comp("Small_Sales", "Output File", [("Layout", "file:${AI_SERIAL}/sales_small.dat")], ins=["write"])
    g.comp("Large_Sales", "Output File", [("Layout", "file:${AI_SERIAL}/sales_large.dat")], ins=["write"])
    g.comp("Priced_Sales", "Output File", [("Layout", "file:${AI_SERIAL}/sales_priced.dat")], ins=["write"])
    g.flow("Sales.read", "Price_Sales.in")
    g.flow("Price_Sales.out0", "Priced_Sales.write")
    g.flow("Sales.read", "Route_By_Size.in")
    g.flow("Route_By_Size.out0", "Small_Sales.write")
    g.flow("Route_By_Size.out1", "Large_Sales.write")
    yield g

    g = Graph("g10_holes")
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("One_Per_Item", "Normalize", [("transform", "out :: normalize(in, index) =\nbegin\n  out.* :: in.*;\nend;"),
                                          ("out_metadata", D + "orders.dml")], ins=["in"], outs=["out"])
    g.comp("Back_Together", "Denormalize Sorted", [("key", "{order_id}"), ("out_metadata", D + "orders.dml")],
           ins=["in"], outs=["out"])
    g.comp("Mask", "Encrypt Fields", [("fields", "region;channel"), ("algorithm", "site-default"),
                                      ("out_metadata", D + "orders.dml")], ins=["in"], outs=["out"])
    g.comp("Masked_File", "Output File", [("Layout", "file:${AI_SERIAL}/orders_masked.dat")], ins=["write"])
    g.flow("Orders.read", "One_Per_Item.in")
    g.flow("One_Per_Item.out", "Back_Together.in")
    g.flow("Back_Together.out", "Mask.in")
    g.flow("Mask.out", "Masked_File.write")
    yield g

    g = Graph("g11_redefine_aggregate")
    g.comp("Accounts", "Input File", [("Layout", "file:${AI_SERIAL}/accounts.dat"),
                                      ("read_metadata", D + "accounts_raw.dml")], outs=["read"])
    g.comp("Rename", "Redefine Format", [("out_metadata", D + "accounts_view.dml")], ins=["in"], outs=["out"])
    g.comp("By_Branch", "Partition by Key", [("key", "{branch_code}")], ins=["in"], outs=["out"])
    g.comp("Branch_Totals", "Aggregate", [("key", "{branch_code}"), ("transform", X + "branch_aggregate.xfr"),
                                          ("out_metadata", D + "branch_totals.dml")], ins=["in"], outs=["out"])
    g.comp("Totals_File", "Output File", [("Layout", "file:${AI_SERIAL}/branch_totals.dat")], ins=["write"])
    g.flow("Accounts.read", "Rename.in")
    g.flow("Rename.out", "By_Branch.in")
    g.flow("By_Branch.out", "Branch_Totals.in")
    g.flow("Branch_Totals.out", "Totals_File.write")
    yield g

    g = Graph("g12_params")
    g.params = [("SRC_DIR", "/data/in", 1, "REFK"), ("RUN_DATE", "20240101", 1, "REFK"),
                ("MIN_AMOUNT", "0", 1, "REFK")]
    g.comp("Daily_Orders", "Input File", [("Layout", "file:${SRC_DIR}/orders_${RUN_DATE}.dat"),
                                          ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("Big_Enough", "Filter by Expression", [("select_expr", "in.amount >= $MIN_AMOUNT")],
           ins=["in"], outs=["out"])
    g.comp("By_Region", "Partition by Expression", [("function", "string_length(in.region) % 4")],
           ins=["in"], outs=["out"])
    g.comp("Daily_File", "Output File", [("Layout", "file:${AI_SERIAL}/orders_${RUN_DATE}.dat")], ins=["write"])
    g.flow("Daily_Orders.read", "Big_Enough.in")
    g.flow("Big_Enough.out", "By_Region.in")
    g.flow("By_Region.out", "Daily_File.write")
    yield g

    g = Graph("g13_table_load")
    g.comp("Customers", "Input File", [("Layout", "file:${AI_SERIAL}/customers.dat"),
                                       ("read_metadata", D + "customers.dml")], outs=["read"])
    g.comp("Active_Only", "Filter by Expression", [("select_expr", 'in.status == "A"')], ins=["in"], outs=["out"])
    g.comp("Customer_Stage", "Output Table", [("dbc", "$AI_DB/crm.dbc"), ("table", "CRM.CUSTOMER_STAGE")],
           ins=["in"])
    g.comp("Purge_Stage", "Run SQL", [("dbc", "$AI_DB/crm.dbc"),
                                      ("sql", "DELETE FROM CRM.CUSTOMER_STAGE WHERE status <> 'A'")])
    g.flow("Customers.read", "Active_Only.in")
    g.flow("Active_Only.out", "Customer_Stage.in")
    yield g

    # Run SQL before and after a load (statements read through the SQL frontend: abi_runsql.c)
    g = Graph("g16_run_sql")
    g.params = [("CUTOFF_DAYS", "365", 1, "REFK"), ("RUN_DATE", "20240101", 1, "REFK")]
    g.comp("Prepare_Stage", "Run SQL", [("dbc", "$AI_DB/crm.dbc"),
                                        ("sql", "TRUNCATE TABLE CRM.ORDER_STAGE;\n"
                                                "DELETE FROM CRM.ORDER_AUDIT\n"
                                                "  WHERE loaded_on < SYSDATE - ${CUTOFF_DAYS};")])
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("Order_Stage", "Output Table", [("dbc", "$AI_DB/crm.dbc"), ("table", "CRM.ORDER_STAGE")], ins=["in"])
    g.comp("Publish", "Run SQL", [("dbc", "$AI_DB/crm.dbc"),
                                  ("sql", "MERGE INTO CRM.ORDERS o USING CRM.ORDER_STAGE s\n"
                                          "  ON (o.order_id = s.order_id)\n"
                                          "  WHEN MATCHED THEN UPDATE SET o.amount = NVL(s.amount, 0)\n"
                                          "  WHEN NOT MATCHED THEN INSERT (order_id, amount)\n"
                                          "    VALUES (s.order_id, NVL(s.amount, 0));\n"
                                          "UPDATE CRM.LOAD_LOG SET loaded_on = TO_DATE('${RUN_DATE}', 'YYYYMMDD')\n"
                                          "  WHERE job_name = 'orders';\n"
                                          "ANALYZE TABLE CRM.ORDERS COMPUTE STATISTICS;")])
    g.comp("Archive", "Run SQL", [("sql", "INSERT INTO archive.orders SELECT order_id, amount FROM crm.order_stage")])
    g.flow("Orders.read", "Order_Stage.in")
    yield g

    # Normalize [I]: a constant length (a normalize node) and a per-record one (a hole)
    g = Graph("g17_normalize_quarters")
    g.comp("Quarterly", "Input File", [("Layout", "file:${AI_SERIAL}/quarterly_sales.dat"),
                                       ("read_metadata", D + "quarterly_sales.dml")], outs=["read"])
    g.comp("Copy", "Replicate", [], ins=["in"], outs=["out"])
    g.comp("One_Per_Quarter", "Normalize", [("transform", X + "quarters_to_rows.xfr"),
                                            ("out_metadata", D + "sales_by_quarter.dml")], ins=["in"], outs=["out"])
    g.comp("Quarters_So_Far", "Normalize", [("transform", X + "quarters_present.xfr"),
                                            ("out_metadata", D + "sales_by_quarter.dml")], ins=["in"], outs=["out"])
    g.comp("By_Quarter", "Output File", [("Layout", "file:${AI_SERIAL}/sales_by_quarter.dat")], ins=["write"])
    g.comp("So_Far", "Output File", [("Layout", "file:${AI_SERIAL}/sales_so_far.dat")], ins=["write"])
    g.flow("Quarterly.read", "Copy.in")
    g.flow("Copy.out", "One_Per_Quarter.in")
    g.flow("Copy.out", "Quarters_So_Far.in")
    g.flow("One_Per_Quarter.out", "By_Quarter.write")
    g.flow("Quarters_So_Far.out", "So_Far.write")
    yield g

    g = Graph("g14_split_orders")
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("Sort_Customer", "Sort", [("key", "{cust_id}")], ins=["in"], outs=["out"])
    g.comp("Split", "Reformat", [("count", "2"), ("transform0", X + "split_small.xfr"),
                                 ("transform1", X + "split_tag.xfr"), ("out0_metadata", D + "order_split.dml"),
                                 ("out1_metadata", D + "order_split.dml")], ins=["in"], outs=["out0", "out1"])
    g.comp("Small_File", "Output File", [("Layout", "file:${AI_SERIAL}/orders_small.dat")], ins=["write"])
    g.comp("Tagged_File", "Output File", [("Layout", "file:${AI_SERIAL}/orders_tagged.dat")], ins=["write"])
    g.flow("Orders.read", "Sort_Customer.in")
    g.flow("Sort_Customer.out", "Split.in")
    g.flow("Split.out0", "Small_File.write")
    g.flow("Split.out1", "Tagged_File.write")
    yield g


def graph15():
    g = Graph("g15_three_way_join")
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("Customers", "Input File", [("Layout", "file:${AI_SERIAL}/customers.dat"),
                                       ("read_metadata", D + "customers.dml")], outs=["read"])
    g.comp("Scores", "Input File", [("Layout", "file:${AI_SERIAL}/customer_scores.dat"),
                                    ("read_metadata", D + "customer_scores.dml")], outs=["read"])
    g.comp("Enrich", "Join", [("count", "3"), ("key", "{cust_id}"), ("join_type", "Explicit"),
                              ("record_match_required0", "True"), ("record_match_required1", "False"),
                              ("record_match_required2", "False"), ("sorted_input", "False"),
                              ("transform", X + "join_three.xfr")],
           ins=["in0", "in1", "in2"], outs=["out"])
    g.comp("Enriched", "Output File", [("Layout", "file:${AI_SERIAL}/orders_enriched.dat")], ins=["write"])
    g.flow("Orders.read", "Enrich.in0")
    g.flow("Customers.read", "Enrich.in1")
    g.flow("Scores.read", "Enrich.in2")
    g.flow("Enrich.out", "Enriched.write")
    return g


CLEAN_WITH_RULES = """out :: reformat(in) =
begin
  out.cust_id :: in.cust_id;
  out.full_name :1: string_concat(in.first_name, " ", in.last_name);
  out.full_name :2: in.email;
  out.email :: string_downcase(in.email);
  out.country :: string_upcase(in.country);
  out.balance :1: in.balance;
  out.balance :2: 0;
  out.is_active :: if (in.status == "A") "Y" else "N";
end;"""


def graph19():
    """Secondary output streams connected: Filter by Expression reject (and error, a hole), Dedup
    Sorted dup, Reformat reject0 (a NULL select, a name no rule can fill), Join unused0/unused1."""
    g = Graph("g19_reject_streams")
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("Customers", "Input File", [("Layout", "file:${AI_SERIAL}/customers.dat"),
                                       ("read_metadata", D + "customers.dml")], outs=["read"])
    g.comp("Check_Amount", "Filter by Expression", [("select_expr", "in.amount > 0")], ins=["in"],
           outs=["out", "deselect", "reject", "error"])
    g.comp("Sort_Cust", "Sort", [("key", "{cust_id; order_date}")], ins=["in"], outs=["out"])
    g.comp("Latest_Order", "Dedup Sorted", [("key", "{cust_id}"), ("keep", "last")], ins=["in"],
           outs=["out", "dup", "reject"])
    g.comp("Clean_Customers", "Reformat", [("select", "in.balance >= 0"), ("transform0", CLEAN_WITH_RULES),
                                           ("out0_metadata", D + "customers_clean.dml")],
           ins=["in"], outs=["out0", "reject0", "error0"])
    g.comp("Match", "Join", [("key", "{cust_id}"), ("join_type", "Inner Join"), ("sorted_input", "False"),
                             ("transform", X + "join_customer_orders.xfr"),
                             ("out_metadata", D + "customer_orders.dml")],
           ins=["in0", "in1"], outs=["out", "unused0", "unused1"])
    files = [("No_Amount", "orders_no_amount"), ("Check_Errors", "check_amount_errors"),
             ("Latest_File", "latest_order"), ("Older_File", "older_orders"), ("Clean_File", "customers_clean"),
             ("Rejected_Customers", "customers_rejected"), ("Matched_File", "customer_orders"),
             ("Orphan_Orders", "orders_without_customer"), ("Idle_Customers", "customers_without_orders")]
    formats = {"Orphan_Orders": "orders.dml", "Idle_Customers": "customers.dml"}  # unused ports: the input's format
    for name, f in files:
        ps = [("Layout", "file:${AI_SERIAL}/%s.dat" % f)]
        if name in formats:
            ps.append(("write_metadata", D + formats[name]))
        g.comp(name, "Output File", ps, ins=["write"])
    for src, dst in [
        ("Orders.read", "Check_Amount.in"), ("Check_Amount.reject", "No_Amount.write"),
        ("Check_Amount.error", "Check_Errors.write"), ("Check_Amount.out", "Sort_Cust.in"),
        ("Sort_Cust.out", "Latest_Order.in"), ("Latest_Order.out", "Latest_File.write"),
        ("Latest_Order.dup", "Older_File.write"), ("Customers.read", "Clean_Customers.in"),
        ("Clean_Customers.out0", "Clean_File.write"), ("Clean_Customers.reject0", "Rejected_Customers.write"),
        ("Check_Amount.out", "Match.in0"), ("Customers.read", "Match.in1"), ("Match.out", "Matched_File.write"),
        ("Match.unused0", "Orphan_Orders.write"), ("Match.unused1", "Idle_Customers.write")]:
        g.flow(src, dst)
    return g


PD = "$AI_DML/"  # broken/ lies inside the sample sandbox: its graphs use the main dml/


def broken():
    """Malformed graphs: each must give `file:line:col: error:` and still convert the rest."""
    g = Graph("b1_unterminated_record")
    g.comp("Good_In", "Input File", [("Layout", "file:${AI_SERIAL}/good.dat"),
                                     ("read_metadata", PD + "orders.dml")], outs=["read"])
    g.comp("Bad_In", "Input File", [("Layout", "file:${AI_SERIAL}/bad.dat"),
                                    ("read_metadata", 'record\n  decimal("|") id;\n  string("\\n") name;\n')],
           outs=["read"])
    g.comp("Good_Out", "Output File", [("Layout", "file:${AI_SERIAL}/good_out.dat")], ins=["write"])
    g.comp("Bad_Out", "Output File", [("Layout", "file:${AI_SERIAL}/bad_out.dat")], ins=["write"])
    g.flow("Good_In.read", "Good_Out.write")
    g.flow("Bad_In.read", "Bad_Out.write")
    yield g

    g = Graph("b2_rule_missing_semicolon")
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", PD + "orders.dml")], outs=["read"])
    g.comp("Fix", "Reformat", [("transform0", "out :: reformat(in) =\nbegin\n  out.order_id :: in.order_id\n"
                                              "  out.amount :: first_defined(in.amount, 0);\nend;")],
           ins=["in"], outs=["out0"])
    g.comp("Fixed", "Output File", [("Layout", "file:${AI_SERIAL}/fixed.dat")], ins=["write"])
    g.flow("Orders.read", "Fix.in")
    g.flow("Fix.out0", "Fixed.write")
    yield g

    g = Graph("b3_flow_to_missing_port")
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", PD + "orders.dml")], outs=["read"])
    g.comp("Keep", "Filter by Expression", [("select_expr", "in.amount > 0")], ins=["in"], outs=["out"])
    g.comp("Kept", "Output File", [("Layout", "file:${AI_SERIAL}/kept.dat")], ins=["write"])
    g.comp("Lost", "Output File", [("Layout", "file:${AI_SERIAL}/lost.dat")], ins=["write"])
    g.flow("Orders.read", "Keep.in")
    g.flow("Keep.out", "Kept.write")
    # a flow whose input end is port entity 999, which the file does not define
    fid = g.entity("2010210004", "XXGflow", "0|0|")
    g.relation("999000003", "XXGoport_dst_flow", "0|", g.comps["Keep"][1]["out"], fid)
    g.relation("2010214001", "XXGiport_src_flow", "0|", 999, fid)
    yield g


def graph20():
    """Vectors: a record with T[field] vectors (array columns; a flat file cannot give them, so the
    Input File keeps holes), a Reformat with vector expressions into a table, and a Normalize whose
    length is per record (length_of the vector) into one record per element."""
    g = Graph("g20_vector_baskets")
    g.comp("Baskets", "Input File", [("Layout", "file:${AI_SERIAL}/order_baskets.dat"),
                                     ("read_metadata", D + "order_baskets.dml")], outs=["read"])
    g.comp("Copy", "Replicate", [], ins=["in"], outs=["out"])
    g.comp("Summarise", "Reformat", [("transform0", X + "basket_summary.xfr"),
                                     ("out0_metadata", D + "basket_summary.dml")], ins=["in"], outs=["out0"])
    g.comp("Basket_Summary", "Output Table", [("dbc", "$AI_DB/crm.dbc"), ("table", "CRM.BASKET_SUMMARY")],
           ins=["in"])
    g.comp("One_Per_Line", "Normalize", [("transform", X + "basket_to_lines.xfr"),
                                         ("out_metadata", D + "basket_lines.dml")], ins=["in"], outs=["out"])
    g.comp("Lines_File", "Output File", [("Layout", "file:${AI_SERIAL}/basket_lines.dat")], ins=["write"])
    g.flow("Baskets.read", "Copy.in")
    g.flow("Copy.out", "Summarise.in")
    g.flow("Summarise.out0", "Basket_Summary.in")
    g.flow("Copy.out", "One_Per_Line.in")
    g.flow("One_Per_Line.out", "Lines_File.write")
    return g


def graph21():
    """Records of a key gathered into vectors: a template Rollup with accumulation /
    vector_concatenation (array_agg in input order) after a Sort, into a table; and Denormalize
    Sorted on the same flow, whose transform signature is not public (a hole)."""
    g = Graph("g21_order_lists")
    g.comp("Orders", "Input File", [("Layout", "file:${AI_SERIAL}/orders.dat"),
                                    ("read_metadata", D + "orders.dml")], outs=["read"])
    g.comp("Sort_Cust_Date", "Sort", [("key", "{cust_id; order_date}")], ins=["in"], outs=["out"])
    g.comp("Order_Lists", "Rollup", [("key", "{cust_id}"), ("transform", X + "customer_order_lists.xfr"),
                                     ("out_metadata", D + "customer_order_lists.dml")], ins=["in"], outs=["out"])
    g.comp("Customer_Order_Lists", "Output Table", [("dbc", "$AI_DB/crm.dbc"),
                                                    ("table", "CRM.CUSTOMER_ORDER_LISTS")], ins=["in"])
    g.comp("Gather_Orders", "Denormalize Sorted", [("key", "{cust_id}"), ("transform", X + "customer_order_lists.xfr"),
                                                   ("out_metadata", D + "customer_order_lists.dml")],
           ins=["in"], outs=["out"])
    g.comp("Denormalized", "Output Table", [("dbc", "$AI_DB/crm.dbc"), ("table", "CRM.CUSTOMER_ORDERS_DENORM")],
           ins=["in"])
    g.flow("Orders.read", "Sort_Cust_Date.in")
    g.flow("Sort_Cust_Date.out", "Order_Lists.in")
    g.flow("Order_Lists.out", "Customer_Order_Lists.in")
    g.flow("Sort_Cust_Date.out", "Gather_Orders.in")
    g.flow("Gather_Orders.out", "Denormalized.in")
    return g


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "corpus/abinitio/mp"
    os.makedirs(out, exist_ok=True)
    for g in list(graphs()) + [graph15(), graph19(), graph20(), graph21()]:
        with open(os.path.join(out, g.name + ".mp"), "w") as f:
            f.write(g.text())
    bdir = os.path.join(os.path.dirname(os.path.abspath(out)), "broken", "mp")
    os.makedirs(bdir, exist_ok=True)
    for g in broken():
        with open(os.path.join(bdir, g.name + ".mp"), "w") as f:
            f.write(g.text())
    # a record cut in half: the first graph, ended in the middle of its Reformat's record
    text = next(graphs()).text()
    cut = text.index("{2010501005|XXGpvertex") + 120
    with open(os.path.join(bdir, "b4_cut_in_half.mp"), "w") as f:
        f.write(text[:cut])


if __name__ == "__main__":
    main()
