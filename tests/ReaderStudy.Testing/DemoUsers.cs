namespace ReaderStudy.Testing;

/// <summary>The demo accounts the portal seeds; the tests sign in as them.</summary>
public static class DemoUsers
{
    public const string Admin = "admin@readerstudy.local";
    public const string Coordinator = "coordinator@readerstudy.local";
    public const string Reader1 = "reader1@readerstudy.local";
    public const string Reader2 = "reader2@readerstudy.local";
    public const string Statistician = "statistician@readerstudy.local";
}
