# Real readers on real outputs, in R: readr::read_csv and base R's read.csv,
# default options.
#
# Usage: Rscript check_r.R README.md DIR
#
# Runs the ```r blocks of the README's "Loading the outputs" section in DIR,
# then reads every CSV in DIR with both readers, and compares each column's
# class with the Table Schema beside it (FILE.schema.json). readr reads whole
# numbers as doubles ("numeric") unless told otherwise; base R as integers.

suppressPackageStartupMessages(library(readr))

args <- commandArgs(trailingOnly = TRUE)
readme <- args[1]
dir <- args[2]

expected <- list(
  readr = c(integer = "numeric", number = "numeric", boolean = "logical", string = "character"),
  base = c(integer = "integer", number = "numeric", boolean = "logical", string = "character")
)

failures <- character()
passed <- 0

schema_types <- function(path) {
  text <- paste(readLines(paste0(path, ".schema.json"), warn = FALSE), collapse = "\n")
  # The schema's fields in order: "name": "...", then "type": "..." (pretty JSON).
  fields <- regmatches(text, gregexpr('"name": ?"[^"]*"|"type": ?"[^"]*"', text))[[1]]
  names <- sub('"name": ?"([^"]*)"', "\\1", fields[grepl('^"name"', fields)])
  types <- sub('"type": ?"([^"]*)"', "\\1", fields[grepl('^"type"', fields)])
  stats::setNames(types, names)
}

check <- function(reader, path, df, how) {
  types <- schema_types(path)
  where <- paste0(how, ": ", basename(path))
  if (!identical(names(df), names(types))) {
    failures <<- c(failures, paste0(where, ": columns differ from the schema"))
    return(invisible())
  }
  for (name in names(types)) {
    got <- class(df[[name]])[1]
    want <- expected[[reader]][[types[[name]]]]
    if (got != want) {
      failures <<- c(failures, sprintf("%s: %s is %s, the schema says %s", where, name, got, types[[name]]))
    }
    if (types[[name]] != "number" && any(is.na(df[[name]]))) {
      failures <<- c(failures, sprintf("%s: %s has cells read as missing", where, name))
    }
  }
  if (!any(startsWith(failures, paste0(where, ":")))) {
    passed <<- passed + 1
    cat("ok", where, "\n")
  }
}

# The README's R snippets, run in DIR with the readers' calls recorded.
text <- paste(readLines(readme), collapse = "\n")
section <- strsplit(text, "### Loading the outputs", fixed = TRUE)[[1]][2]
section <- strsplit(section, "\n## ", fixed = TRUE)[[1]][1]
blocks <- regmatches(section, gregexpr("```r\n.*?```", section))[[1]]
if (length(blocks) == 0) stop("no ```r block under 'Loading the outputs'")
calls <- list()
recorder <- function(reader, fn) {
  force(fn)
  function(file, ...) {
    df <- fn(file, ...)
    calls[[length(calls) + 1]] <<- list(reader = reader, path = file.path(dir, file), df = df)
    df
  }
}
env <- new.env()
env$read_csv <- recorder("readr", function(file, ...) readr::read_csv(file, ...))
env$read.csv <- recorder("base", utils::read.csv)
old <- setwd(dir)
for (b in blocks) {
  code <- sub("^```r\n", "", sub("```$", "", b))
  code <- gsub("readr::read_csv", "read_csv", code, fixed = TRUE)
  eval(parse(text = code), envir = env)
}
setwd(old)
if (length(calls) == 0) failures <- c(failures, "the README's R snippets read no file")
for (cl in calls) check(cl$reader, cl$path, cl$df, paste("README", cl$reader))

for (f in sort(list.files(dir, pattern = "\\.csv$"))) {
  p <- file.path(dir, f)
  check("readr", p, readr::read_csv(p, show_col_types = FALSE, progress = FALSE), "readr::read_csv")
  check("base", p, utils::read.csv(p), "read.csv")
}
for (f in failures) cat("FAIL", f, "\n")
cat(sprintf("%d passed, %d failed\n", passed, length(failures)))
quit(status = if (length(failures) > 0) 1 else 0)
