global using Scorer.Extensions;
