using System.ComponentModel.DataAnnotations;

namespace Identity.Model;

/// <summary>Account lockout against password guessing (section <c>Identity:Lockout</c>).</summary>
public sealed class LockoutSettings
{
    public const string SectionName = "Identity:Lockout";

    /// <summary>Wrong passwords in a row after which the account is locked.</summary>
    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account refuses every password, the right one included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}
