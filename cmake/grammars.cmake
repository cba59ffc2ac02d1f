# grammars.cmake — tree-sitter grammars (being written: npm install + compile into etl_grammars)
