# The battery of `readerstudy stats` analyses in base R, one Rscript invocation per analysis, as a
# statistician's script would run them: the reference the CLI's start-up is measured against.
#   Rscript bench/stats_battery.R ANALYSIS WIDE.csv LONG.csv
# WIDE: case,truth,r1..r10 (ratings 0-100); LONG: reader,modality,case,truth,rating.
# Base R has no Krippendorff's alpha or Obuchowski-Rockette; those two are stand-ins of similar size
# (interval alpha from variance components; per-reader AUCs by the Mann-Whitney statistic), which favours R.
args <- commandArgs(trailingOnly = TRUE)
analysis <- args[1]
wide <- read.csv(args[2])
long <- read.csv(args[3])
x <- wide$r1
y <- wide$r2
raters <- as.matrix(wide[, grep("^r[0-9]+$", names(wide))])
auc <- function(score, truth) {
  w <- wilcox.test(score[truth == 1], score[truth == 0], exact = FALSE)$statistic
  unname(w) / (sum(truth == 1) * sum(truth == 0))
}
result <- switch(analysis,
  "pearson" = cor.test(x, y)$estimate,
  "spearman" = suppressWarnings(cor.test(x, y, method = "spearman", exact = FALSE))$estimate,
  "ccc" = 2 * cov(x, y) / (var(x) + var(y) + (mean(x) - mean(y))^2),
  "bland-altman" = c(mean(x - y), sd(x - y)),
  "icc" = {
    d <- data.frame(v = as.vector(raters), case = factor(rep(seq_len(nrow(raters)), ncol(raters))),
                    rater = factor(rep(seq_len(ncol(raters)), each = nrow(raters))))
    summary(aov(v ~ case + rater, data = d))
  },
  "cohen-kappa" = {
    t <- table(factor(x %/% 20, 0:5), factor(y %/% 20, 0:5)) / length(x)
    (sum(diag(t)) - sum(rowSums(t) * colSums(t))) / (1 - sum(rowSums(t) * colSums(t)))
  },
  "fleiss-kappa" = {
    counts <- t(apply(raters %/% 20, 1, function(r) tabulate(r + 1, 6)))
    n <- ncol(raters)
    p <- colSums(counts) / sum(counts)
    pi <- (rowSums(counts^2) - n) / (n * (n - 1))
    (mean(pi) - sum(p^2)) / (1 - sum(p^2))
  },
  "krippendorff-alpha" = 1 - mean(apply(raters, 1, var)) / var(as.vector(raters)),
  "wilcoxon" = wilcox.test(x, y, paired = TRUE, exact = FALSE)$p.value,
  "paired-t" = t.test(x, y, paired = TRUE)$p.value,
  "binomial" = binom.test(sum(x > 50), length(x))$p.value,
  "roc" = auc(x, wide$truth),
  "roc-test" = c(auc(x, wide$truth), auc(y, wide$truth)),
  "mrmc" = tapply(seq_len(nrow(long)), list(long$reader, long$modality), function(i) auc(long$rating[i], long$truth[i])),
  stop("unknown analysis ", analysis))
print(result)
